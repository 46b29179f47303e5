"""Language understanding for the scorer: word vectors distilled from a sentence encoder.

The scorer must judge answers written in words its rules never listed, yet stay offline,
deterministic, and fast enough for a live classroom (hundreds of answers a second on two cores).
A transformer per answer costs ~15 ms here, so the sentence encoder (all-MiniLM-L6-v2, int8 ONNX,
installed from PyPI with a pinned hash) is run once per vocabulary entry at install time and its
outputs kept as a static table (the model2vec recipe). At run time an answer's vector is a
frequency-weighted mean of its tokens' rows: about 0.1 ms, numpy only.
"""
