{{- /* The tenant's main namespace: <environment>-<name>. */ -}}
{{- define "tenant.base" -}}
{{- printf "%s-%s" .Values.environment .Values.name -}}
{{- end }}

{{- /* Every namespace of the tenant as a JSON list: the main one, then one per extraNamespaces token. */ -}}
{{- define "tenant.namespaces" -}}
{{- $base := include "tenant.base" . -}}
{{- $out := list $base -}}
{{- range .Values.extraNamespaces }}
{{- $out = append $out (printf "%s-%s" $base .) -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{- define "tenant.labels" -}}
sluice.dev/environment: {{ .Values.environment | quote }}
sluice.dev/tenant: {{ .Values.name | quote }}
{{- end }}
