import type { ReactNode } from "react";
import { Forbidden } from "@/components/ui/forbidden";
import { getPageSession } from "@/lib/auth/page-session";

/** Server-side gate for admin pages: everyone else gets a 403 message, not the page. */
export async function AdminOnly({ children }: { children: ReactNode }) {
  const session = await getPageSession();
  if (!session?.user.isAdmin) return <Forbidden />;
  return <>{children}</>;
}
