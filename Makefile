# stancewatch: the two newcomer commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Extras installed into .venv. The spark extra (pyspark, about 460 MB, needs Java) is
# left out for newcomers: `make test EXTRAS=mlflow,spark,dev` adds it (CI does).
EXTRAS ?= mlflow,dev
comma := ,
INSTALLED := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
EXAMPLES := "The ministry called the accusations baseless." \
	"Prosecutors charged three men with plotting a murder for hire." \
	"The parliament rejected the budget proposal."

.PHONY: run install train predict test lint format validate benchmark ablation ui ui-check serve runs articles clean

run: train predict  ## set up, train, then tag example statements

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

install: $(INSTALLED)  ## create .venv and install the project with the EXTRAS (default mlflow,dev)

train: install  ## train, evaluate, log to MLflow, save models/default
	$(BIN)/stance-train

predict: install  ## tag the example statements with the saved model
	$(BIN)/stance-predict --format table $(EXAMPLES)

validate: install  ## check the corpus and print its counts
	$(BIN)/stance-train validate

test: install  ## lint, validate the corpus and run the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/stance-train validate
	$(BIN)/python -m pytest

benchmark: install  ## quality benchmark: stancewatch vs peers, external data, targets; logged to MLflow
	$(BIN)/python -m benchmarks.quality

ablation: install  ## feature and model ablation by CV on train; logged to MLflow
	$(BIN)/stance-train ablation

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ui: install  ## open the MLflow experiment UI on http://127.0.0.1:5000
	$(BIN)/mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db --host 127.0.0.1 --port 5000

ui-check: install  ## MLflow UI in headless Chromium: server, a run, REST, screenshot
	$(BIN)/stance-train ui-check

serve: install  ## serve the champion model on http://127.0.0.1:5001/invocations
	PATH="$(CURDIR)/$(BIN):$$PATH" MLFLOW_TRACKING_URI=sqlite:///mlruns/mlflow.db \
		$(BIN)/mlflow models serve -m models:/stancewatch@champion --env-manager local \
		-h 127.0.0.1 -p 5001

articles: install  ## score the article reader on datasets/articles (needs a trained model)
	$(BIN)/python -m benchmarks.articles

runs: install  ## the best training runs, best test macro-F1 first
	$(BIN)/stance-train runs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
