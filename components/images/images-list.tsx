"use client";

import { Stack } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { PageHeader } from "@/components/ui/page-header";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import { ImagesTable, IMAGE_LIST_DEFAULTS } from "./images-table";
import { ImportUrlButton } from "./import-url-modal";
import { UploadImageButton } from "./upload-image-modal";

export function ImagesList() {
  const { isAdmin, createRights } = useSession().user;
  const list = useListUrlState(IMAGE_LIST_DEFAULTS);
  const canCreate = isAdmin || createRights.includes("IMAGE");
  return (
    <Stack gap="sm">
      <PageHeader title="Images">
        {canCreate ? (
          <>
            <UploadImageButton />
            <ImportUrlButton />
          </>
        ) : null}
      </PageHeader>
      <ImagesTable list={list} />
    </Stack>
  );
}
