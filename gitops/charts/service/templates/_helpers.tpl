{{- /* Names and labels shared by every object of a release. The release name is the service's name. */ -}}
{{- define "service.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end }}

{{- define "service.labels" -}}
{{ include "service.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
sluice.dev/environment: {{ required "environment is required (clusterMetadata: sluice.dev/environment)" .Values.environment | quote }}
{{- end }}

{{- define "service.serviceAccountName" -}}
{{- default (include "service.name" .) .Values.serviceAccount.name -}}
{{- end }}

{{- /* repository@sha256:digest, never a tag; the schema checks the same, this guards a schema-less render. */ -}}
{{- define "service.image" -}}
{{- if not (regexMatch "^sha256:[a-f0-9]{64}$" .Values.image.digest) -}}
{{- fail (printf "image.digest must be sha256:<64 hex digits>, got %q" .Values.image.digest) -}}
{{- end -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- end }}

{{- define "service.probe" -}}
httpGet:
  path: {{ .probe.path | quote }}
  port: http
periodSeconds: {{ .probe.periodSeconds | default 10 }}
failureThreshold: {{ .probe.failureThreshold | default 3 }}
{{- end }}

{{- /* One NetworkPolicy peer list entry from an allowance (cidr, or namespace and/or pod labels). */ -}}
{{- define "service.peer" -}}
{{- if .cidr }}
- ipBlock:
    cidr: {{ .cidr | quote }}
{{- else }}
- {{- if .namespace }}
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace | quote }}
  {{- end }}
  podSelector:
    matchLabels:
      {{- toYaml (.podLabels | default dict) | nindent 6 }}
{{- end }}
{{- end }}
