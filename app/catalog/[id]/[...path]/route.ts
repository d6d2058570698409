import { serveCatalog } from "@/lib/catalogs/serve-catalog";

/**
 * A marketplace served to other clouds (no portal sign-in): an OpenNebula marketplace
 * (`<base>/appliance`…) and a simplestreams server (`<base>/streams/v1/…`), public or behind
 * read tokens (lib/catalogs).
 */
type Params = { params: Promise<{ id: string; path: string[] }> };

async function serve(req: Request, { params }: Params): Promise<Response> {
  const { id, path } = await params;
  return serveCatalog({ input: { req, id, path } });
}

export const GET = serve;
export const HEAD = serve;
