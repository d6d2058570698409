import { serveBytes } from "@/lib/api/serve-bytes";
import { AppError } from "@/lib/errors";
import { getMarketFile } from "@/lib/markets/get-market-file";

/**
 * The folder of an http marketplace, served as a web server would serve PUBLIC_DIR (public,
 * like OpenNebula's BASE_URL): GET and HEAD with Range, ETag and Last-Modified.
 */
type Params = { params: Promise<{ id: string; key: string }> };

async function serve(req: Request, { params }: Params): Promise<Response> {
  const file = await getMarketFile({ input: await params });
  if (!file) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  try {
    return await serveBytes(req, file, { cacheControl: "public, max-age=0, must-revalidate" });
  } catch (err) {
    // the file is damaged or its backend failed: refused, as a web server answers a broken file
    if (err instanceof AppError)
      return new Response(`${err.message}\n`, { status: 502, headers: { "content-type": "text/plain" } });
    throw err;
  }
}

export const GET = serve;
export const HEAD = serve;
