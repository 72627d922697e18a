import { describe, expect, it } from "vitest";
import { parseAuthConfig, roleFromClaims, type SsoConfig } from "./sso-config";

const BASE = {
  OIDC_ISSUER: "https://id.example.org/realms/staff/",
  OIDC_CLIENT_ID: "atlas",
  OIDC_CLIENT_SECRET: "s3cret",
};

const errorsOf = (env: Record<string, string>) => {
  const result = parseAuthConfig(env);
  return result.ok ? [] : result.errors;
};

describe("sign-in settings", () => {
  it("without OIDC_* settings: no SSO, password sign-in on", () => {
    expect(parseAuthConfig({})).toEqual({ ok: true, config: { sso: null, passwordSignIn: true } });
  });

  it("reads a complete setup, with defaults", () => {
    const result = parseAuthConfig({ ...BASE, PASSWORD_SIGNIN: "0" });
    expect(result).toMatchObject({
      ok: true,
      config: {
        passwordSignIn: false,
        sso: {
          issuer: "https://id.example.org/realms/staff",
          name: "single sign-on",
          scopes: ["openid", "email", "profile"],
          defaultRole: "viewer",
          roleClaim: null,
        },
      },
    });
  });

  it("says what is missing or wrong, each in words", () => {
    expect(errorsOf({ OIDC_ISSUER: BASE.OIDC_ISSUER })).toEqual([
      "OIDC_ISSUER is set but OIDC_CLIENT_ID is not",
      "OIDC_ISSUER is set but OIDC_CLIENT_SECRET is not",
    ]);
    expect(errorsOf({ OIDC_CLIENT_ID: "atlas" })).toEqual([
      "OIDC_* settings are present but OIDC_ISSUER is not set",
    ]);
    expect(errorsOf({ ...BASE, OIDC_ISSUER: "id.example.org" })[0]).toMatch(/OIDC_ISSUER must be/);
    expect(errorsOf({ ...BASE, OIDC_DEFAULT_ROLE: "owner" })[0]).toMatch(/OIDC_DEFAULT_ROLE must be one of/);
    expect(errorsOf({ ...BASE, OIDC_ROLE_MAP: "a=admin" })).toEqual([
      "OIDC_ROLE_MAP is set but OIDC_ROLE_CLAIM (the claim it maps, e.g. groups) is not",
    ]);
    expect(errorsOf({ ...BASE, OIDC_ROLE_CLAIM: "groups", OIDC_ROLE_MAP: "a=admin,b=boss,c" })).toEqual([
      'OIDC_ROLE_MAP: "b=boss" is not value=role with role viewer, editor, admin',
      'OIDC_ROLE_MAP: "c" is not value=role with role viewer, editor, admin',
    ]);
    expect(errorsOf({ PASSWORD_SIGNIN: "0" })).toEqual([
      "PASSWORD_SIGNIN=0 leaves no way to sign in without OIDC_ISSUER",
    ]);
    expect(errorsOf({ PASSWORD_SIGNIN: "no" })[0]).toMatch(/PASSWORD_SIGNIN must be 1/);
  });
});

describe("roleFromClaims", () => {
  const config = (env: Record<string, string>) => {
    const result = parseAuthConfig({ ...BASE, ...env });
    if (!result.ok) throw new Error(result.errors.join("; "));
    return result.config.sso as SsoConfig;
  };
  const mapped = config({
    OIDC_ROLE_CLAIM: "groups",
    OIDC_ROLE_MAP: "atlas-admins=admin; atlas-editors=editor; cn=atlas,ou=groups=viewer",
  });

  it("takes the highest role any value maps to, whether the claim is a list or one value", () => {
    expect(roleFromClaims({ groups: ["atlas-editors", "atlas-admins"] }, mapped)).toBe("admin");
    expect(roleFromClaims({ groups: "atlas-editors" }, mapped)).toBe("editor");
    // Names holding "," and "=" (LDAP DNs): entries split at ";", then at the last "=".
    expect(roleFromClaims({ groups: ["cn=atlas,ou=groups"] }, mapped)).toBe("viewer");
  });

  it("falls back to the default role, or refuses with none, and reads nothing without a claim", () => {
    expect(roleFromClaims({ groups: ["staff"] }, mapped)).toBe("viewer");
    expect(roleFromClaims({}, { ...mapped, defaultRole: null })).toBeNull();
    expect(roleFromClaims({ groups: ["atlas-admins"] }, config({}))).toBeUndefined();
  });
});
