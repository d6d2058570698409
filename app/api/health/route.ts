import { checkHealth } from "@/lib/boot/check-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await checkHealth();
  return Response.json(ok ? { status: "ok" } : { status: "error", detail: "database unreachable" }, {
    status: ok ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
