import { expect } from "vitest";
import { db } from "@/lib/db/client";
import { recordedExchanges, type Exchange } from "./api";

const PASSWORD_FIELDS = ["password", "currentPassword", "newPassword"];

interface Secret {
  kind: "password" | "token" | "cookie" | "stored";
  value: string;
  what: string;
  /** the one exchange allowed to carry it (a token's creation response) */
  allowedIn?: Exchange;
}

/** Passwords sent, token secrets and session cookies received, in this file's exchanges. */
function secretsOf(exchanges: readonly Exchange[]): Secret[] {
  const secrets: Secret[] = [];
  for (const x of exchanges) {
    const body = x.requestBody;
    if (body && typeof body === "object") {
      for (const field of PASSWORD_FIELDS) {
        const value = (body as Record<string, unknown>)[field];
        if (typeof value === "string" && value.length >= 8)
          secrets.push({ kind: "password", value, what: `${field} sent to ${x.method} ${x.path}` });
      }
    }
    if (x.method === "POST" && x.path === "/api/v1/tokens" && x.status === 201) {
      const token = JSON.parse(x.responseText).token as string;
      secrets.push({ kind: "token", value: token, what: "an API token secret", allowedIn: x });
    }
    for (const c of x.setCookies) {
      const value = /^bazaar_session=([^;]+)/.exec(c)?.[1];
      if (value) secrets.push({ kind: "cookie", value, what: "a session cookie" });
    }
  }
  return secrets;
}

/**
 * No response body and no audit event may contain a password, a token secret (outside its
 * creation response), a session cookie, or a stored password/token hash.
 */
export async function expectNoSecretsLeaked(): Promise<void> {
  const exchanges = recordedExchanges();
  const secrets = secretsOf(exchanges);
  const users = await db().user.findMany({ select: { username: true, passwordHash: true } });
  const tokens = await db().apiToken.findMany({ select: { name: true, secretHash: true } });
  const sessions = await db().session.findMany({ select: { id: true } });
  for (const u of users) secrets.push({ kind: "stored", value: u.passwordHash, what: `${u.username}'s password hash` });
  for (const t of tokens) secrets.push({ kind: "stored", value: t.secretHash, what: `token ${t.name}'s hash` });
  for (const s of sessions) secrets.push({ kind: "stored", value: s.id, what: "a session id" });
  // a scan that finds nothing to look for proves nothing
  expect(secrets.filter((s) => s.kind === "password").length).toBeGreaterThan(0);

  const leaks: string[] = [];
  for (const x of exchanges) {
    for (const s of secrets) {
      if (s.allowedIn !== x && x.responseText.includes(s.value)) {
        leaks.push(`${s.what} appears in the response to ${x.method} ${x.path} (${x.status})`);
      }
    }
  }
  const events = await db().auditEvent.findMany();
  expect(events.length).toBeGreaterThan(0);
  for (const e of events) {
    const text = JSON.stringify(e);
    for (const s of secrets) {
      if (text.includes(s.value)) leaks.push(`${s.what} appears in audit event ${e.action} #${e.id}`);
    }
  }
  expect(leaks, `leaked secrets:\n${leaks.join("\n")}`).toEqual([]);
}
