"""Names and defaults that the command line and the library share, kept in a module that imports
nothing, so that ``kg --help`` starts fast and each value is written once."""

#: Where the graph can live (kg.store.open_store).
STORES = ("memory", "oxigraph", "sparql")
#: Where a read command looks by default: the build's Oxigraph store if it left one, else memory.
READ_STORES = ("auto",) + STORES
#: The networkx projections of the graph (kg.analysis.project) and the views drawn from them.
PROJECTIONS = ("full", "pressure", "policy", "agreements")
#: How results are printed.
FORMATS = ("table", "csv", "json")
#: Rows of a table page (``kg query --limit``); CSV and JSON give every row.
PAGE_ROWS = 50
#: Seconds a query may run before it is stopped.
QUERY_TIMEOUT_S = 60.0
#: The most nodes a view draws (the most central ones are kept).
VIEW_MAX_NODES = 2000
#: Above this many nodes, betweenness centrality is estimated from a sample of pivots.
EXACT_BETWEENNESS_MAX_NODES = 2000
