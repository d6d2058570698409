"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { datastoreKeys } from "@/components/datastores/queries";
import { jobKeys } from "@/components/jobs/queries";
import * as imagesApi from "./api";
import type { ImageFilters, UpdateImageInput } from "./api";
import { isImageBusy } from "./image-state";

export const imageKeys = createQueryKeys<"images", ImageFilters>("images");

/** Live progress comes from polling while the server works on an image (jobs update every second or so). */
const POLL_MS = 1000;

export function useImages(filters: ImageFilters) {
  return useQuery({
    queryKey: imageKeys.list(filters),
    queryFn: ({ signal }) => imagesApi.listImages(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(isImageBusy) ? POLL_MS : false),
  });
}

export function useImage(id: number) {
  return useQuery({
    queryKey: imageKeys.detail(id),
    queryFn: ({ signal }) => imagesApi.getImage(id, signal),
    refetchInterval: (query) => (query.state.data && isImageBusy(query.state.data) ? POLL_MS : false),
  });
}

/** Images fill datastores and start jobs: refresh those too. */
export function useInvalidateImages() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: imageKeys.all }),
      qc.invalidateQueries({ queryKey: datastoreKeys.all }),
      qc.invalidateQueries({ queryKey: jobKeys.all }),
    ]);
}

export function useCreateImage() {
  const invalidate = useInvalidateImages();
  return useMutation({ mutationFn: imagesApi.createImage, onSettled: invalidate });
}

export function useUpdateImage() {
  const invalidate = useInvalidateImages();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateImageInput }) => imagesApi.updateImage(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteImage() {
  const invalidate = useInvalidateImages();
  return useMutation({ mutationFn: imagesApi.deleteImage, onSettled: invalidate });
}
