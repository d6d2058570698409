import { serveMarketFile } from "@/lib/markets/serve-market-file";

/**
 * The folder of an http marketplace, served as a web server would serve PUBLIC_DIR (public,
 * like OpenNebula's BASE_URL): GET and HEAD with Range, ETag and Last-Modified.
 */
type Params = { params: Promise<{ id: string; key: string }> };

export const GET = async (req: Request, { params }: Params) => serveMarketFile(req, await params);
export const HEAD = async (req: Request, { params }: Params) => serveMarketFile(req, await params);
