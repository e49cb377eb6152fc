# Everyday entry points; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
# Deploying needs only requirements/deploy.txt; the oldest supported
# ansible-core (meta/runtime.yml) is tested from requirements/oldest.txt.
DEPLOY_VENV ?= .venv-deploy
OLDEST_VENV ?= .venv-oldest
EE_IMAGE    ?= flask-wsgi-ee:latest
# Empty: a Debian 12 base built here (scripts/build-base-image.sh ee-debian12).
EE_BASE_IMAGE ?=
PLATFORMS   ?= debian12 debian13
# Every molecule scenario, the longest first so that parallel jobs end
# together; a new scenario is picked up at the end of the list.
LONGEST     := lifecycle cluster apps validation
SCENARIOS   ?= $(LONGEST) $(filter-out $(LONGEST),$(patsubst molecule/%/molecule.yml,%,$(wildcard molecule/*/molecule.yml)))
# What make test runs side by side after the fast checks: every scenario
# under the newest ansible-core, the default scenario under the oldest (after
# the newest's, as they share container names, so both come early) and the
# execution environment's run.
SLOW_JOBS   := $(addprefix scenario-,$(LONGEST) default) oldest-default \
               $(addprefix scenario-,$(filter-out $(LONGEST) default,$(SCENARIOS))) ee-test
# Scenarios run side by side: their containers, names and networks are
# separate, and most of their time is spent waiting on containers.
JOBS        ?= 2
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help venv deploy-venv oldest-venv lock engine images lint sanity units oldest-units oldest-default ee ee-test test bench demo demo-clean clean $(addprefix scenario-,$(SCENARIOS))

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

# A virtualenv from a lock file, checked against its hashes. ansible-core
# 2.18 and 2.19 need Python 3.11 or newer on the controller.
define locked_venv
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	    echo "$(1): ansible-core needs Python 3.11 or newer on the controller; $(PYTHON) is $$($(PYTHON) -V 2>&1)." >&2; \
	    echo "Run with PYTHON=python3.11 (or newer), or deploy from the execution environment (README.md)." >&2; exit 1; }
	$(PYTHON) -m venv $(1)
	$(1)/bin/pip install --quiet --require-hashes --no-deps -r $(2)
	touch $(1)/bin/ansible-playbook
endef

$(BIN)/ansible-playbook: requirements/dev.txt
	$(call locked_venv,$(VENV),$<)

$(DEPLOY_VENV)/bin/ansible-playbook: requirements/deploy.txt
	$(call locked_venv,$(DEPLOY_VENV),$<)

$(OLDEST_VENV)/bin/ansible-playbook: requirements/oldest.txt
	$(call locked_venv,$(OLDEST_VENV),$<)

venv: $(BIN)/ansible-playbook ## The development virtualenv (.venv) from requirements/dev.txt

deploy-venv: $(DEPLOY_VENV)/bin/ansible-playbook ## Only what a deploy needs (.venv-deploy) from requirements/deploy.txt

oldest-venv: $(OLDEST_VENV)/bin/ansible-playbook

lock: venv ## Lock requirements/*.in into requirements/*.txt, with hashes
	for set in deploy dev oldest; do \
	    $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --index-url https://pypi.org/simple \
	        --custom-compile-command "make lock" requirements/$$set.in -o requirements/$$set.txt || exit 1; \
	done

engine: ## Install and start a Docker engine if none answers
	scripts/ensure-docker-engine.sh

images: engine ## Build the systemd base images, in parallel (cached)
	$(MAKE) --no-print-directory --output-sync=target -j $(words $(PLATFORMS)) $(addprefix image-,$(PLATFORMS))

image-%:
	scripts/build-base-image.sh $*

lint: venv ## The pre-commit hooks on every file: yamllint, ansible-lint, ruff, the workflow's schema
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

units: venv ## Unit tests of the plugins (pytest, seconds)
	$(BIN)/pytest tests/unit

oldest-units: oldest-venv ## The unit tests under the oldest supported ansible-core
	$(OLDEST_VENV)/bin/pytest tests/unit

oldest-default: oldest-venv scenario-default ## The default scenario under the oldest supported ansible-core
	PATH=$(abspath $(OLDEST_VENV))/bin:$$PATH $(OLDEST_VENV)/bin/molecule test -s default

ee: venv engine ## Build the execution environment image (EE_IMAGE, on EE_BASE_IMAGE) with ansible-builder
	$(if $(EE_BASE_IMAGE),,scripts/build-base-image.sh ee-debian12)
	rm -rf build/context build/flaskwsgi-deploy.tar.gz
	$(BIN)/ansible-galaxy collection build --force --output-path build .
	mv build/flaskwsgi-deploy-$$(sed -n 's/^version: //p' galaxy.yml).tar.gz build/flaskwsgi-deploy.tar.gz
	$(BIN)/ansible-builder build --container-runtime docker --file execution-environment.yml \
	    --context build/context --tag $(EE_IMAGE) $(if $(EE_BASE_IMAGE),--build-arg EE_BASE_IMAGE=$(EE_BASE_IMAGE))

ee-test: ee ## Deploy with ansible-runner inside the execution environment, as AWX does
	EE_IMAGE=$(EE_IMAGE) $(BIN)/pytest tests/ee

sanity: venv ## ansible-test sanity and units on the collection as built and installed
	scripts/ansible-test.sh sanity
	scripts/ansible-test.sh units

test: lint units oldest-units sanity images deploy-venv ## The fast checks, the project tests, then the scenarios, EE and oldest core
	$(BIN)/pytest tests --ignore=tests/unit --ignore=tests/ee
	$(MAKE) --no-print-directory --output-sync=target -j $(JOBS) $(SLOW_JOBS)

$(addprefix scenario-,$(SCENARIOS)): scenario-%: ## One molecule scenario, e.g. make scenario-default
	$(BIN)/molecule test -s $*

bench: venv images ## Benchmarks into bench/results/, plots into docs/, tables into BENCHMARKS.md
	$(BIN)/python bench/deploy.py
	$(BIN)/python bench/releases.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/report.py

demo: deploy-venv engine ## Deploy over SSH to a local container and print the answer
	scripts/demo.sh

demo-clean: ## Remove the demo container and its files
	scripts/demo.sh clean

clean: demo-clean ## Remove the virtualenvs and build/ too
	rm -rf $(VENV) $(DEPLOY_VENV) $(OLDEST_VENV) build
