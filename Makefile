# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
MODEL_STAMP := $(VENV)/.model-trained
TRAINING := training/split.toml $(wildcard training/policies/*.md) $(wildcard training/questions/*.jsonl) \
	$(wildcard training/adapted-model.npz)
# The parser makes the clause texts the model learns on, and the question bank is saved with the model
# (train-model retrains only when TRAINED_PARSER_VERSION or the bank's questions per clause changed).
PARSER := retrieval/ingest/chunking.py retrieval/ingest/clause_builder.py retrieval/ingest/markup.py \
	retrieval/models/question_bank.py
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test build install clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# requirements.lock pins every package (direct and indirect) so every install is the same.
$(RUNTIME_STAMP): requirements.txt requirements.lock | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt -c requirements.lock
	touch $@

# The model adapted to school-policy wording, exported to ONNX; skipped when the training data has not
# changed. training/adapted-model.npz is that model, committed: unpacked in seconds when it was trained
# from training/ as it is, else the model is trained here (seeded, about ten minutes on 2 cores).
$(MODEL_STAMP): $(RUNTIME_STAMP) $(TRAINING) $(PARSER)
	$(PY) -m retrieval train-model
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt requirements.lock
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt -c requirements.lock
	touch $@

install: $(RUNTIME_STAMP) $(MODEL_STAMP)

build: $(RUNTIME_STAMP) $(MODEL_STAMP)
	$(PY) -m retrieval build --if-stale

run: build
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.headless true

test: $(DEV_STAMP) $(MODEL_STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) index
