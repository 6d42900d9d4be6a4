"""Every confidence the rules give (0..1), named and explained in one place.

A confidence is the rules' own estimate that a reviewer will accept the candidate: it orders
``kg review`` and is lowered for hedged, negated and attributed statements. The values were set
by hand, in steps, from how often each cue was right on the seed documents, and are not
calibrated probabilities: compare them with each other, not with accuracy figures.
"""

# --- actors -----------------------------------------------------------------------------------
KNOWN_NAME = 0.9            # a label or altLabel of the gazetteer (the curated data)
KNOWN_BODY = 0.85           # a name in the lexicon's list of well-known bodies
DEMONYM_KNOWN = 0.7         # "Mexican" for a state the gazetteer knows
DEMONYM_NEW = 0.6           # a demonym of a country the text names
NAME_TITLE = 0.85           # a title before a capitalised name ("Senator Jane Roe")
NAME_ORGANISATION = 0.8     # a capitalised name with an organisation word ("National Guard")
NAME_SPEAKER = 0.75         # the subject or object of a speech verb ("said Jane Roe")
NAME_AUTHOR = 0.75          # "by Jane Roe" after a work noun
NAME_ACRONYM = 0.75         # an acronym defined in the text ("(DHS)")
NAME_SURNAME = 0.7          # a later surname-only mention of a person found earlier
NAME_APPOSITIVE_ROLE = 0.7  # "Jane Roe, Mexico's interior minister"
NAME_APPOSITION = 0.7       # "the agency, ACRONYM"
NAME_CREDIT = 0.7           # a photo credit "Name / Agency"
NAME_EMPLOYER = 0.7         # "worked for X", "analyst for X"
NAME_ROLE = 0.7             # "the Mexican president" resolved to the person given that title
PLACE_STATE_OF = 0.7        # "the state of Chiapas"
NAME_BYLINE = 0.6           # a byline line ("By Jane Roe")
NAME_RESEARCHER = 0.6       # "Roe and Doe find"
NAME_PERSON_EVENT = 0.6     # "X's inauguration"
NAME_CONTEXT_BODY = 0.6     # "X researchers", "INGOs such as X"
ADMINISTRATION_NAMED = 0.8  # "the Trump administration"
ADMINISTRATION_OF_KNOWN = 0.75  # "the administration of President X", X's administration known
ADMINISTRATION_OF_NEW = 0.6     # the same, a new administration
ADMINISTRATION_LIST = 0.6   # "the X and Y administrations"
GROUP = 0.6                 # a group head with modifiers ("unaccompanied minors")
GROUP_FLOW = 0.6            # a group after a noun of mass movement ("the flow of migrants")
NATIONAL_BODY = 0.65        # a demonym and a national body head ("Mexican security forces")
SPEAKING_GROUP = 0.55       # experts as the subject of a speech verb ("analysts said")
ROLE_STATEMENT = 0.7        # a role: statement from a title

# --- statements -------------------------------------------------------------------------------
PRESSURE_VERB = 0.8         # a pressure verb with agent and target in the sentence
PRESSURE_NOUN = 0.65        # a pressure noun ("Trump's threat") with a demand or a response
PRESSURE_INHERITED = 0.45   # the target taken from the agent's previous pressure
PRESSURE_FACED = 0.55       # 'X is facing pressure from Y': the subject is the target
PRESSURE_ONE_SIDED = 0.4    # agent or target not named ('X is under pressure', 'X denounced the agreement')
CONDITIONAL_THREAT = 0.6   # a negative action announced under a condition ('if X doesn't VP, we will close ...')
AGREEMENT_NAMED = 0.75      # a named agreement in the clause
AGREEMENT_NEW = 0.6         # an agreement verb or noun, a new agreement
AGREEMENT_PREVIOUS = 0.5    # "sign it": the document's previous agreement
AGREEMENT_PROPOSED = 0.5    # a named agreement only conditioned or negotiated
REVERSAL = 0.7              # a reversal verb or noun
REVERSAL_NEW_APPROACH = 0.45  # "adopted a tougher approach"
REVERSAL_CONTRAST = 0.4     # "initially ... now"
REVERSAL_SINCE = 0.35       # "has since VP-ed"
POLICY_NAMED = 0.55         # a known policy with an adoption verb or a policy noun
POLICY_NEW = 0.45           # an adoption verb with a policy noun phrase
POLICY_COMMITMENT = 0.5     # a policy committed to in an agreement ("pledged to VP")
POLICY_PHRASE = 0.4         # a policy named only as the object of a reversal
POLICY_GOVERNING = 0.35     # a policy noun phrase after 'under' ('expelled under a U.S. health order')
POLICY_INTENDED = 0.4       # the infinitive after an intention verb ('pledged to VP'; always proposed)
POLICY_OWNED = 0.35         # a policy noun with its owner ('Trump's new directives'; no status)
POLICY_THREATENED = 0.4     # the action a conditional threat announces (always proposed)
STATISTIC_UNIT = 0.7        # a number with a unit or a counted noun
STATISTIC_COUNT = 0.55      # a number with what it counts only in the following words

# --- factors ----------------------------------------------------------------------------------
NEGATED = 0.4               # x this when the text says the thing did not happen
HEDGED = 0.6                # x this for a modal, a hedge word, a reporting frame or a condition
ATTRIBUTED = 0.9            # x this when the text attributes the statement to a speaker
