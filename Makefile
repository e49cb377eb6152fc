# Everyday entry points; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
PLATFORMS   ?= debian12 debian13
# Every molecule scenario, the longest first so that parallel jobs end
# together; a new scenario is picked up at the end of the list.
LONGEST     := lifecycle cluster apps validation
SCENARIOS   ?= $(LONGEST) $(filter-out $(LONGEST),$(patsubst molecule/%/molecule.yml,%,$(wildcard molecule/*/molecule.yml)))
# Scenarios run side by side: their containers, names and networks are
# separate, and most of their time is spent waiting on containers.
JOBS        ?= 2
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help venv engine images lint sanity units test bench demo demo-clean clean $(addprefix scenario-,$(SCENARIOS))

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

$(BIN)/ansible-playbook: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/ansible-playbook ## Create the virtualenv from requirements.txt

engine: ## Install and start a Docker engine if none answers
	scripts/ensure-docker-engine.sh

images: engine ## Build the systemd base images, in parallel (cached)
	$(MAKE) --no-print-directory --output-sync=target -j $(words $(PLATFORMS)) $(addprefix image-,$(PLATFORMS))

image-%:
	scripts/build-base-image.sh $*

lint: venv ## yamllint, ansible-lint (production profile), ruff, the GitHub workflow's schema
	$(BIN)/yamllint --strict .
	$(BIN)/ansible-lint
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

units: venv ## Unit tests of the plugins (pytest, seconds)
	$(BIN)/pytest tests/unit

sanity: venv ## ansible-test sanity and units on the collection as built and installed
	scripts/ansible-test.sh sanity
	scripts/ansible-test.sh units

test: lint units sanity images ## Lint, unit and sanity tests, the project tests, then every molecule scenario
	$(BIN)/pytest tests --ignore=tests/unit
	$(MAKE) --no-print-directory --output-sync=target -j $(JOBS) $(addprefix scenario-,$(SCENARIOS))

$(addprefix scenario-,$(SCENARIOS)): scenario-%: ## One molecule scenario, e.g. make scenario-default
	$(BIN)/molecule test -s $*

bench: venv images ## Benchmarks into bench/results/, plots into docs/, tables into BENCHMARKS.md
	$(BIN)/python bench/deploy.py
	$(BIN)/python bench/releases.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/report.py

demo: venv engine ## Deploy over SSH to a local container and print the answer
	scripts/demo.sh

demo-clean: ## Remove the demo container and its files
	scripts/demo.sh clean

clean: demo-clean ## Remove the virtualenv too
	rm -rf $(VENV)
