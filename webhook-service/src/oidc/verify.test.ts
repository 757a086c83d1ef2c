import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OidcIssuer, startOidcIssuer } from "../../test/oidc-issuer.ts";
import { actionsTokenVerifier, bearerToken, sameRepository } from "./verify.ts";

let issuer: OidcIssuer;
beforeAll(async () => {
  issuer = await startOidcIssuer({ audience: "sluice" });
});
afterAll(() => issuer.close());

const claims = { repository: "acme/infra", actor: "dave", sha: "a".repeat(40) };

describe("actionsTokenVerifier", () => {
  it("accepts a token of the issuer for the audience and returns its claims", async () => {
    const verify = actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" });
    const got = await verify(await issuer.sign(claims));
    expect(got.repository).toBe("acme/infra");
    expect(got.actor).toBe("dave");
  });

  it.each([
    ["an expired token", { expiresIn: -120 }, "the OIDC token has expired"],
    ["a token for another audience", { audience: "someone-else" }, "audience is not 'sluice'"],
    [
      "a token signed by a key the issuer does not publish",
      { foreignKey: true },
      "is not signed by a key of",
    ],
    ["a token from another issuer", { issuer: "https://evil.example" }, "was not issued by"],
  ])("refuses %s", async (_name, options, message) => {
    const verify = actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" });
    await expect(verify(await issuer.sign(claims, options))).rejects.toThrow(message);
  });

  it("refuses a token without a repository claim, and garbage", async () => {
    const verify = actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" });
    await expect(verify(await issuer.sign({ actor: "dave" }))).rejects.toThrow("no 'repository' claim");
    await expect(verify("not-a-jwt")).rejects.toThrow("not a well-formed JWT");
  });

  it("binds the repository claim case-insensitively and reads bearer headers", () => {
    expect(sameRepository({ repository: "Acme/Infra" }, "acme/infra")).toBe(true);
    expect(sameRepository({ repository: "acme/other" }, "acme/infra")).toBe(false);
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("Basic xyz")).toBeUndefined();
  });
});
