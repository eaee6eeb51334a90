"""ListLens: question answering with checked citations over sanctions and export-control documents.

The code lives in the repository's top-level folders (`ingest/`, `index/`, `evals/`, `app/`),
installed as `listlens.ingest`, `listlens.index`, `listlens.evals` and `listlens.app`.
"""
