"""The sentence with every rule family."""

from __future__ import annotations


from .agreements import AgreementRules
from .clause import ClauseRoles
from .commitments import CommitmentLists
from .policies import PolicyRules
from .pressure_frames import PressureFrames
from .pressures import PressureRules
from .reversals import ReversalRules
from .sentence import SentenceBase
from .speakers import SpeakerRoles
from .statistics import StatisticRules
from .threats import ThreatRules


class _Sentence(SentenceBase, ClauseRoles, SpeakerRoles, PressureRules, PressureFrames, ThreatRules, AgreementRules, CommitmentLists,
                ReversalRules, PolicyRules, StatisticRules):
    """A sentence and all the rules run on it (:meth:`SentenceBase.run`)."""
