import type { z } from "zod";
import { api } from "@/components/api/client";
import type { BodyOf } from "@/components/api/types";
import type { sessionDto, signIn as signInOp } from "@/lib/api/operations/session";

export type SessionDto = z.infer<typeof sessionDto>;

export const signIn = (body: BodyOf<typeof signInOp>) => api<SessionDto>("/session", { method: "POST", body });

export const signOut = () => api<void>("/session", { method: "DELETE" });
