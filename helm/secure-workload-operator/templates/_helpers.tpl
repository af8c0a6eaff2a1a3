{{/* The chart name, overridable by nameOverride. */}}
{{- define "secure-workload-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of the release's objects. A release whose name already contains the chart name
is not repeated (release "secure-workload-operator" gives "secure-workload-operator").
*/}}
{{- define "secure-workload-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "secure-workload-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "secure-workload-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "secure-workload-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "secure-workload-operator.labels" -}}
helm.sh/chart: {{ include "secure-workload-operator.chart" . }}
{{ include "secure-workload-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "secure-workload-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "secure-workload-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image, by digest when one is given. */}}
{{- define "secure-workload-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* The metrics port as a number (settings are strings, as environment variables are). */}}
{{- define "secure-workload-operator.metricsPort" -}}
{{- .Values.settings.SW_METRICS_PORT | default "8080" | toString | atoi }}
{{- end }}

{{/*
The namespaced kinds the operator reads and writes, as RBAC rules; granted cluster-wide, or per
watched namespace. Each rule says why in one line.
*/}}
{{- define "secure-workload-operator.namespacedRules" -}}
# why: the primary resource: watched, and its finalizer added and removed by patch (never created or deleted)
- apiGroups: ["secureworkload.io"]
  resources: ["secureworkloads"]
  verbs: ["get", "list", "watch", "patch"]
# why: conditions, observedGeneration and the role ARN are written by status patches
- apiGroups: ["secureworkload.io"]
  resources: ["secureworkloads/status"]
  verbs: ["patch"]
# why: owner references with blockOwnerDeletion on the children need update on the owner's finalizers
- apiGroups: ["secureworkload.io"]
  resources: ["secureworkloads/finalizers"]
  verbs: ["update"]
# why: the workload's IRSA ServiceAccount is created, server-side applied and deleted
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# why: when a namespace moves to another account, one list finds the pods that may still hold the old role
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
# why: the workload's default-deny, ingress and egress NetworkPolicies
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# why: the workload's SecretProviderClass (Secrets Store CSI driver), when its CRD is installed
- apiGroups: ["secrets-store.csi.x-k8s.io"]
  resources: ["secretproviderclasses"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# why: the workload's SecurityGroupPolicy (security groups for pods), when its CRD is installed
- apiGroups: ["vpcresources.k8s.aws"]
  resources: ["securitygrouppolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# why: Events on the SecureWorkload (Ready, DriftRepaired, NotOwned, ...); patch repeats one
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
