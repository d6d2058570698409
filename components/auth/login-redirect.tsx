"use client";

import { redirect, usePathname, useSearchParams } from "next/navigation";

/**
 * Sends a visitor without a session to the sign-in page, remembering where they were going.
 * A layout cannot see the request's path on the server, so this small client component reads
 * it; redirect() during the server render still answers with an HTTP redirect.
 */
export function LoginRedirect() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const target = pathname + (search ? `?${search}` : "");
  return redirect(target === "/" ? "/login" : `/login?next=${encodeURIComponent(target)}`);
}
