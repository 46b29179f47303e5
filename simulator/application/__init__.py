"""The use cases, free of Qt: what the window, the terminal player, the classroom and the tests call.

Modelled on Anki's pylib operations: each function or method here is one thing a person does
(start, answer, finish or abandon an attempt; decide whether an assignment may start; override a
verdict). They run wherever the caller runs them; the desktop app calls them on its background
worker, because the Store behind them is single-threaded.
"""
