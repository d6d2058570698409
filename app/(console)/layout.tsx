import type { ReactNode } from "react";
import { LoginRedirect } from "@/components/auth/login-redirect";
import { ConsoleShell } from "@/components/shell/console-shell";
import { getPageSession } from "@/lib/auth/page-session";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await getPageSession();
  // Every console page is dynamic (the session cookie), so LoginRedirect's useSearchParams
  // needs no Suspense boundary, and its redirect() becomes a real HTTP 307.
  if (!session) return <LoginRedirect />;
  return <ConsoleShell session={session}>{children}</ConsoleShell>;
}
