import { withApi } from "./with-api";
import { AppError } from "@/lib/errors";

const unknown = { id: "unknown", method: "GET", path: "/api/v1/*", summary: "", tag: "", auth: "user" } as const;

const handler = withApi(unknown, async ({ req }) => {
  throw new AppError("NOT_FOUND", `No API route ${req.method} ${new URL(req.url).pathname}`);
});

export function unknownRoute(req: Request) {
  return handler(req);
}
