{{/* Name of the chart's objects: the release name when it contains "riffle", else <release>-riffle. */}}
{{- define "riffle.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "riffle.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: riffle
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: riffle
{{- end -}}

{{- define "riffle.selectorLabels" -}}
app.kubernetes.io/name: riffle
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret with database-url and master-key. */}}
{{- define "riffle.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "riffle.fullname" . -}}
{{- end -}}
{{- end -}}

{{- define "riffle.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- printf "nats://%s-nats:4222" .Release.Name -}}
{{- else -}}
{{- required "externalNats.url is required when nats.enabled is false" .Values.externalNats.url -}}
{{- end -}}
{{- end -}}

{{- define "riffle.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Environment shared by server and workers. */}}
{{- define "riffle.env" -}}
- name: RIFFLE_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "riffle.secretName" . }}
      key: database-url
- name: RIFFLE_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "riffle.secretName" . }}
      key: master-key
- name: RIFFLE_NATS_URL
  value: {{ include "riffle.natsUrl" . | quote }}
- name: RIFFLE_NATS_PREFIX
  value: {{ .Values.riffle.natsPrefix | quote }}
- name: RIFFLE_NATS_REPLICAS
  value: {{ .Values.riffle.natsReplicas | quote }}
- name: RIFFLE_DATA_DIR
  value: /var/lib/riffle
{{- range $k, $v := .Values.riffle.extraEnv }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "riffle.podSecurityContext" -}}
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
{{- end -}}

{{- define "riffle.containerSecurityContext" -}}
allowPrivilegeEscalation: false
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}
