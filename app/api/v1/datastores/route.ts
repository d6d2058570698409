import { datastores as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listDatastores } from "@/lib/datastores/list-datastores";
import { createDatastore } from "@/lib/datastores/create-datastore";

export const GET = withApi(ops.listDatastores, ({ ctx, query }) => listDatastores({ ctx, input: query }));
export const POST = withApi(ops.createDatastore, ({ ctx, body }) => createDatastore({ ctx, input: body }));
