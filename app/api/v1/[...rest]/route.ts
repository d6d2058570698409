import { unknownRoute } from "@/lib/api/unknown-route";

// Paths that no route serves: 401 when not signed in (nothing is revealed), else 404.
export const GET = unknownRoute;
export const POST = unknownRoute;
export const PUT = unknownRoute;
export const PATCH = unknownRoute;
export const DELETE = unknownRoute;
