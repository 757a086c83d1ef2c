import type { Glossary } from "../glossary.ts";
import { parseGlossary } from "../parse.ts";

/** A small glossary in the same format as the repository's glossary.md, for tests that must not move with it. */
export const FIXTURE_GLOSSARY = `# Test glossary

Owners: @org/platform, @org/security

| Term | Short form | Kind | Definition | Owner | Deprecated synonyms |
|---|---|---|---|---|---|
| dev | — | environment | Development. | @org/platform | development (names only) |
| prod | — | environment | Production. | @org/platform | production, prd, live (names only) |
| app | — | qualifier | Applications. | @org/platform | — |
| orders | — | component | The order workload. | @org/platform | — |
| acme | — | tenant | The Acme tenant. | @org/platform | — |
| db | — | resource | A database. | @org/platform | database (names only) |
| queue | — | resource | An SQS queue. | @org/platform | — |
| role | — | resource | An IAM role. | @org/security | — |
| logs | — | resource | Logs. | @org/platform | — |
| cluster | — | resource | The cluster. | @org/platform | — |
| repository | repo | resource | A repository. | @org/platform | — |
| state | — | component | Terraform state. | @org/platform | — |
| aws | — | technology | AWS. | @org/platform | — |
| eks | — | technology | Amazon EKS. | @org/platform | k8s, kubernetes (names only) |
| s3 | — | technology | Amazon S3. | @org/platform | bucket (names only) |

| External name | Owner | Why |
|---|---|---|
| kube-system | Kubernetes | System namespace. |
`;

/**
 * The fixture glossary, parsed anew on each call. Call it inside a test: parsed while a test file loads, the
 * parser's mutants would be "static" to Stryker, which then runs every related test for each of them.
 */
export const parseFixtureGlossary = (): Glossary => parseGlossary(FIXTURE_GLOSSARY, "glossary.md");
