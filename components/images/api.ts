import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type { createImage as createOp, ImageDto, updateImage as updateOp } from "@/lib/api/operations/images";

export type { ImageDto };
export type ImageFilters = ListParams & { datastoreId?: string | number; state?: string; type?: string; mine?: string };
export type CreateImageInput = BodyOf<typeof createOp>;
export type UpdateImageInput = BodyOf<typeof updateOp>;

export const listImages = (filters: ImageFilters, signal?: AbortSignal) =>
  api<Page<ImageDto>>("/images", { query: { ...filters }, signal });

export const getImage = (id: number, signal?: AbortSignal) => api<ImageDto>(`/images/${id}`, { signal });

export const createImage = (input: CreateImageInput) => api<ImageDto>("/images", { method: "POST", body: input });

export const updateImage = (id: number, patch: UpdateImageInput) =>
  api<ImageDto>(`/images/${id}`, { method: "PATCH", body: patch });

export const deleteImage = (id: number) => api<void>(`/images/${id}`, { method: "DELETE" });

/** A plain link: the browser streams the bytes to disk (Range requests resume). */
export const imageDownloadHref = (id: number) => `/api/v1/images/${id}/download`;
