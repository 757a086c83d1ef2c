import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Gives every IAM role in a stack the environment's workload permissions boundary. The CI apply role
 * may only create roles that carry exactly this boundary, so a construct that sets another one is an
 * error (it could never be applied), not something to overwrite quietly.
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof IamRole)) return;
    const current = node.permissionsBoundaryInput;
    if (current !== undefined && current !== this.boundaryArn) {
      throw new Error(
        `IAM role '${node.node.path}' sets permissionsBoundary to ${JSON.stringify(current)}; roles of this stack must carry ${this.boundaryArn}, which the CI apply role requires`,
      );
    }
    node.permissionsBoundary = this.boundaryArn;
  }
}
