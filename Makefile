# The two commands of the README's Quick start: `make site` and `make test`.
# Both set up what they need first (a virtualenv in .venv, npm packages), so
# they work on a fresh clone with Python 3.11+ and Node.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_OK  := $(VENV)/.installed
NODE_OK := node_modules/.installed
DOCU_OK := docusaurus/node_modules/.installed
# A site made by create-docusaurus, as a consultancy's own site would be, for the tests that put opsdocs' tree in it.
HOST_DIR := tests/.cache/docusaurus-host
HOST_FIX := tests/fixtures/docusaurus-host
HOST_OK := $(HOST_DIR)/node_modules/.installed
# Backstage's MkDocs plugin, which pins its own Material: in a virtualenv of its own, to build a TechDocs source with.
TECHDOCS := tests/.cache/techdocs-venv
TECHDOCS_OK := $(TECHDOCS)/.installed

.PHONY: help setup test-setup site docusaurus test check clean messages

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(PY_OK): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(NODE_OK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(DOCU_OK): docusaurus/package.json docusaurus/package-lock.json
	cd docusaurus && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(HOST_OK): $(HOST_FIX)/package.json $(HOST_FIX)/package-lock.json
	rm -rf $(HOST_DIR)
	mkdir -p $(dir $(HOST_DIR))
	cd $(dir $(HOST_DIR)) && npx --yes create-docusaurus@3.10.2 $(notdir $(HOST_DIR)) classic --javascript --skip-install >/dev/null
	cp $(HOST_FIX)/package.json $(HOST_FIX)/package-lock.json $(HOST_DIR)/
	cd $(HOST_DIR) && npm install --no-audit --no-fund --loglevel=error
	@touch $@

$(TECHDOCS_OK):
	$(PYTHON) -m venv $(TECHDOCS)
	$(TECHDOCS)/bin/python -m pip install --quiet 'mkdocs-techdocs-core==1.7.1'
	@touch $@

setup: $(PY_OK) $(NODE_OK) $(DOCU_OK)  ## install opsdocs, MkDocs, mermaid and Docusaurus (.venv, node_modules)

test-setup: setup $(HOST_OK) $(TECHDOCS_OK)  ## also a create-docusaurus site and mkdocs-techdocs-core for the tests (tests/.cache/)

check: $(PY_OK)  ## validate the example content
	$(BIN)/opsdocs check

site: $(PY_OK) $(NODE_OK)  ## validate and build the example MkDocs site into site/
	$(BIN)/opsdocs check
	$(BIN)/opsdocs build

docusaurus: $(PY_OK) $(DOCU_OK)  ## build the example with Docusaurus into docusaurus/build/
	$(BIN)/opsdocs build --target docusaurus
	cd docusaurus && npx --no-install docusaurus build

messages: $(PY_OK)  ## gather the messages of code and templates into the catalogs (generator/locale/*/LC_MESSAGES/opsdocs.po)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Np_:1,2 -c Translators: --no-location --sort-output --omit-header -o generator/locale/opsdocs.pot .
	$(BIN)/pybabel update -i generator/locale/opsdocs.pot -d generator/locale -D opsdocs --no-fuzzy-matching --ignore-obsolete

test: test-setup  ## run every test
	$(BIN)/python -m pytest

clean:  ## remove generated output (not .venv or node_modules)
	rm -rf docs site docusaurus/docs docusaurus/build .opsdocs-cache schemas
