# Everyday entry points; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
# The controller's own python3 makes the deploy set's virtualenv: the newest
# ansible-core with Python 3.12 or newer, else the newest that runs on 3.11
# (Debian 12's). The development set and the tests run the newest core, so
# they need a Python 3.12 or newer (Debian 13's python3, or pyenv's);
# the oldest supported core is tested on Python 3.11.
# (Found before PATH below puts .venv/bin first.)
ifeq ($(origin PYTHON),undefined)
PYTHON      := $(shell command -v python3)
endif
NEWEST_PYTHON ?= $(shell scripts/find-python.sh 3.12)
OLDEST_PYTHON ?= $(shell scripts/find-python.sh 3.11 3.11)
BIN         := $(VENV)/bin
# Deploying needs only requirements/deploy.txt (deploy-py311.txt on Python
# 3.11); the oldest supported ansible-core (meta/runtime.yml) is tested from
# requirements/oldest.txt, and ansible-test sanity runs under each core.
DEPLOY_VENV ?= .venv-deploy
OLDEST_VENV ?= .venv-oldest
CORE_2_20_VENV ?= .venv-core-2.20
EE_IMAGE    ?= flask-wsgi-ee:latest
# Empty: a Debian 13 base built here (scripts/build-base-image.sh ee-debian13).
EE_BASE_IMAGE ?=
PLATFORMS   ?= debian12 debian13
# Every molecule scenario, the longest first so that parallel jobs end
# together; a new scenario is picked up at the end of the list.
LONGEST     := lifecycle cluster apps validation
SCENARIOS   ?= $(LONGEST) $(filter-out $(LONGEST),$(patsubst molecule/%/molecule.yml,%,$(wildcard molecule/*/molecule.yml)))
# The scenarios also run under the oldest supported ansible-core, each after
# the newest's run of it (they share container names).
OLDEST_SCENARIOS := cluster default
# What make test runs side by side after the fast checks: every scenario
# under the newest ansible-core, the oldest's scenarios and the execution
# environment's run. Each run's output is kept in build/logs/ for the scan
# for warnings that ends make test.
SLOW_JOBS   := $(addprefix scenario-,$(LONGEST)) $(addprefix oldest-,$(OLDEST_SCENARIOS)) \
               $(addprefix scenario-,$(filter-out $(LONGEST),$(SCENARIOS))) ee-test
LOGS        := build/logs
# Scenarios run side by side: their containers, names and networks are
# separate, and most of their time is spent waiting on containers.
JOBS        ?= 2
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help venv deploy-venv oldest-venv core-2.20-venv lock engine images lint sanity docs docs-lint units oldest-units ee ee-test test warnings bench demo demo-clean clean $(addprefix scenario-,$(SCENARIOS)) $(addprefix oldest-,$(OLDEST_SCENARIOS))

help: ## List the targets
	@grep -hE '^[a-z0-9.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

# A virtualenv from a lock file, checked against its hashes, made by a
# Python that is MINIMUM or newer: $(call locked_venv,VENV,LOCK,PYTHON,MINIMUM).
define locked_venv
	@$(if $(3),$(3),false) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(4)".split("."))))' 2>/dev/null || { \
	    echo "$(1): $(notdir $(2)) needs Python $(4) or newer on the controller; $(if $(3),$(3) is $$($(3) -V 2>&1),none was found)." >&2; \
	    echo "Set the interpreter (PYTHON=, NEWEST_PYTHON=, OLDEST_PYTHON=), or deploy from the execution environment (README.md)." >&2; exit 1; }
	$(3) -m venv $(1)
	$(1)/bin/pip install --quiet --require-hashes --no-deps -r $(2)
	touch $(1)/bin/ansible-playbook
endef

$(BIN)/ansible-playbook: requirements/dev.txt
	$(call locked_venv,$(VENV),$<,$(NEWEST_PYTHON),3.12)

# The deploy set for the controller's Python: 3.12 or newer gets the newest
# ansible-core, 3.11 the newest that runs there.
$(DEPLOY_VENV)/bin/ansible-playbook: requirements/deploy.txt requirements/deploy-py311.txt
	$(call locked_venv,$(DEPLOY_VENV),$(shell $(PYTHON) -c 'import sys; print("requirements/deploy-py311.txt" if sys.version_info[:2] == (3, 11) else "requirements/deploy.txt")' 2>/dev/null || echo requirements/deploy-py311.txt),$(PYTHON),3.11)

$(OLDEST_VENV)/bin/ansible-playbook: requirements/oldest.txt
	$(call locked_venv,$(OLDEST_VENV),$<,$(OLDEST_PYTHON),3.11)

$(CORE_2_20_VENV)/bin/ansible-playbook: requirements/core-2.20.txt
	$(call locked_venv,$(CORE_2_20_VENV),$<,$(NEWEST_PYTHON),3.12)

venv: $(BIN)/ansible-playbook ## The development virtualenv (.venv, newest ansible-core) from requirements/dev.txt

deploy-venv: $(DEPLOY_VENV)/bin/ansible-playbook ## Only what a deploy needs (.venv-deploy), for the controller's python3

oldest-venv: $(OLDEST_VENV)/bin/ansible-playbook

core-2.20-venv: $(CORE_2_20_VENV)/bin/ansible-playbook

# Each set is locked for the oldest Python it runs on: the newest
# ansible-core needs 3.12, the oldest supported one runs on 3.11.
LOCKS := deploy:3.12 dev:3.12 core-2.20:3.12 deploy-py311:3.11 oldest:3.11

lock: venv ## Lock requirements/*.in into requirements/*.txt, with hashes
	for lock in $(LOCKS); do \
	    set=$${lock%%:*}; \
	    $(BIN)/uv pip compile --quiet --generate-hashes --python-version $${lock#*:} --index-url https://pypi.org/simple \
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

# Each after the newest core's run of the same scenario, and logged the same way.
$(addprefix oldest-,$(OLDEST_SCENARIOS)): oldest-%: oldest-venv scenario-% ## A scenario under the oldest supported ansible-core, e.g. make oldest-default
	@mkdir -p $(LOGS)
	set -o pipefail; PATH=$(abspath $(OLDEST_VENV))/bin:$$PATH $(OLDEST_VENV)/bin/molecule test -s $* 2>&1 | tee $(LOGS)/oldest-$*.log

ee: venv engine ## Build the execution environment image (EE_IMAGE, on EE_BASE_IMAGE) with ansible-builder
	$(if $(EE_BASE_IMAGE),,scripts/build-base-image.sh ee-debian13)
	rm -rf build/context build/collections build/python
	mkdir -p build/python
	sed -n 's/^\([A-Za-z0-9._-]*==[^ ]*\).*/\1/p' requirements/deploy.txt > build/python/constraints.txt
	$(BIN)/python scripts/collection-tarballs.py $$(ls -d $(VENV)/lib/python3*/site-packages) requirements/ee-collections.yml build/collections
	cd build/collections && for tarball in community-*-*.tar.gz; do mv $$tarball $${tarball%-*}.tar.gz; done
	$(BIN)/ansible-galaxy collection build --force --output-path build/collections .
	mv build/collections/flaskwsgi-deploy-$$(sed -n 's/^version: //p' galaxy.yml).tar.gz build/collections/flaskwsgi-deploy.tar.gz
	$(BIN)/ansible-builder build --container-runtime docker --file execution-environment.yml \
	    --context build/context --tag $(EE_IMAGE) $(if $(EE_BASE_IMAGE),--build-arg EE_BASE_IMAGE=$(EE_BASE_IMAGE))

ee-test: ee ## Deploy with ansible-runner inside the execution environment, as AWX does
	@mkdir -p $(LOGS)
	EE_IMAGE=$(EE_IMAGE) EE_LOG=$(abspath $(LOGS))/ee-test.log $(BIN)/pytest tests/ee

sanity: venv oldest-venv core-2.20-venv ## ansible-test sanity under every supported core, and units, on the collection as built and installed
	VENV=$(OLDEST_VENV) scripts/ansible-test.sh sanity
	VENV=$(CORE_2_20_VENV) scripts/ansible-test.sh sanity
	scripts/ansible-test.sh sanity
	scripts/ansible-test.sh units

docs: venv ## The docs site into build/docsite/build/html: roles, modules, filters and the guides (antsibull-docs, Sphinx, offline)
	$(BIN)/python scripts/docsite.py --check
	rm -rf build/docsite
	$(BIN)/python scripts/docsite.py --site build/docsite

docs-lint: venv ## antsibull-docs' check of the collection's documentation, plugins and roles
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

test: lint units oldest-units docs-lint sanity images deploy-venv ## The fast checks, the project tests, then the scenarios, EE and oldest core, and the scan for warnings
	$(BIN)/pytest tests --ignore=tests/unit --ignore=tests/ee --ignore=tests/warnings/test_logs.py
	rm -rf $(LOGS)
	$(MAKE) --no-print-directory --output-sync=target -j $(JOBS) $(SLOW_JOBS)
	$(MAKE) --no-print-directory warnings

warnings: venv ## Fail on any warning in the scenario and EE runs' output kept in build/logs/
	LOGS=$(abspath $(LOGS)) SCENARIOS="$(SCENARIOS)" OLDEST_SCENARIOS="$(OLDEST_SCENARIOS)" $(BIN)/pytest tests/warnings/test_logs.py

$(addprefix scenario-,$(SCENARIOS)): scenario-%: ## One molecule scenario, e.g. make scenario-default
	@mkdir -p $(LOGS)
	set -o pipefail; $(BIN)/molecule test -s $* 2>&1 | tee $(LOGS)/scenario-$*.log

bench: venv images ## Benchmarks into bench/results/, plots into docs/, tables into BENCHMARKS.md
	$(BIN)/python bench/deploy.py
	$(BIN)/python bench/releases.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/reloads.py
	$(BIN)/python bench/report.py

demo: deploy-venv engine ## Deploy over SSH to a local container and print the answer
	scripts/demo.sh

demo-clean: ## Remove the demo container and its files
	scripts/demo.sh clean

clean: demo-clean ## Remove the virtualenvs and build/ too
	rm -rf $(VENV) $(DEPLOY_VENV) $(OLDEST_VENV) $(CORE_2_20_VENV) build
