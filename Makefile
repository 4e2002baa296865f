# Alt & Jung platform. `make run` starts everything embedded; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PACKAGES := libs/events libs/kit services/identity services/tenants services/matching \
            services/notifications services/federation services/portal
STAMP := $(VENV)/.installed
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)

.PHONY: install run test lint test-unit test-contract test-integration test-e2e bench bench-events \
        bench-matching bench-webhooks bench-auth bench-federation up down clean

$(STAMP): constraints.txt requirements-dev.txt $(PYPROJECTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -r requirements-dev.txt \
	    $(foreach p,$(PACKAGES),-e $(p))
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	PORT=$(PORT) $(BIN)/altjung run --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check libs services tests bench infra
	$(BIN)/lint-imports

test-unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

test-contract: $(STAMP)
	$(BIN)/pytest -q tests/contract

test-integration: $(STAMP)
	$(BIN)/pytest -q tests/integration

test-e2e: $(STAMP)
	$(BIN)/pytest -q tests/e2e

test: $(STAMP) lint
	$(BIN)/pytest -q tests

BENCHES := bench-events bench-matching bench-webhooks bench-auth bench-federation
# a static pattern rule: make searches no implicit rule for a .PHONY target, so plain `bench-%:` never ran
$(BENCHES): bench-%: $(STAMP)
	$(BIN)/python -m bench.$*

bench: bench-events bench-matching bench-webhooks bench-auth bench-federation

up: $(STAMP)
	$(BIN)/python -m infra.local.stack up

down: $(STAMP)
	$(BIN)/python -m infra.local.stack down

clean:
	rm -rf var $(VENV)
