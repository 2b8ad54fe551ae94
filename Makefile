# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test build install clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# requirements.lock pins every package (direct and indirect) so every install is the same.
$(RUNTIME_STAMP): requirements.txt requirements.lock | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt -c requirements.lock
	$(PY) -m retrieval export-model
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt requirements.lock
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt -c requirements.lock
	touch $@

install: $(RUNTIME_STAMP)

build: $(RUNTIME_STAMP)
	$(PY) -m retrieval build --if-stale

run: build
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.headless true

test: $(DEV_STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) index
