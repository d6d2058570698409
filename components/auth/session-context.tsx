"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { PageSession } from "@/lib/auth/page-session";

const SessionContext = createContext<PageSession | null>(null);

/** The signed-in user and local zone, read once on the server by the console layout. */
export function SessionProvider({ session, children }: { session: PageSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): PageSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() outside the console layout");
  return session;
}
