import { serveBytes } from "@/lib/api/serve-bytes";
import { getMarketFile } from "@/lib/markets/get-market-file";

/**
 * The folder of an http marketplace, served as a web server would serve PUBLIC_DIR (public,
 * like OpenNebula's BASE_URL): GET and HEAD with Range, ETag and Last-Modified.
 */
type Params = { params: Promise<{ id: string; key: string }> };

async function serve(req: Request, { params }: Params): Promise<Response> {
  const file = await getMarketFile({ input: await params });
  if (!file) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  return serveBytes(req, file, { cacheControl: "public, max-age=0, must-revalidate" });
}

export const GET = serve;
export const HEAD = serve;
