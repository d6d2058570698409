"use client";

import type { ReactNode } from "react";
import { Alert, Skeleton, Stack } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { ApiError } from "@/components/api/client";
import { Forbidden } from "./forbidden";

/** Loading skeleton, error alert (403: the Forbidden message) or the loaded object, for detail views. */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) {
    return (
      <Stack aria-busy="true" aria-label="Loading">
        <Skeleton h={32} w="40%" />
        <Skeleton h={180} />
      </Stack>
    );
  }
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 403)
      return <Forbidden message={query.error.message} />;
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Alert color="red" role="alert" title={notFound ? "Not found" : "Could not load"} maw={640}>
        {query.error.message}
      </Alert>
    );
  }
  return <>{children(query.data)}</>;
}
