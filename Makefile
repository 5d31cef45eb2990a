# Fredag: every target that needs them sets up .venv and Debian packages itself.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
FREDAG := $(VENV)/bin/fredag
PYTEST_ARGS ?=

.PHONY: help install install-run run test lint bench

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: ## Create .venv with every extra (device, server, convert, dev) and the Debian packages
	@scripts/bootstrap.sh test

install-run: ## Create .venv with what `make run` needs only
	@scripts/bootstrap.sh run

run: install-run ## The main job on the embedded defaults (see README)
	@scripts/run.sh

test: install ## Run the whole test suite (real model, real servers, real browser)
	@$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: install ## ruff and mypy (strict)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy

bench: install ## Measure speed, memory and accuracy; writes docs/benchmarks.md
	@$(VENV)/bin/python -m bench
