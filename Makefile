# Everyday entry points; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
PLATFORMS   ?= debian12 debian13
SCENARIOS   ?= --all
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help venv engine images lint test demo demo-clean clean

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

lint: venv ## yamllint, ansible-lint (production profile), ruff
	$(BIN)/yamllint --strict .
	$(BIN)/ansible-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint images ## Lint, the SSH demo test, then every molecule scenario
	$(BIN)/pytest tests
	$(BIN)/molecule test $(SCENARIOS)

demo: venv engine ## Deploy over SSH to a local container and print the answer
	scripts/demo.sh

demo-clean: ## Remove the demo container and its files
	scripts/demo.sh clean

clean: demo-clean ## Remove the virtualenv too
	rm -rf $(VENV)
