"use client";

import { Alert, Button, Stack, Tabs } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { PublishToMarketButton } from "@/components/apps/publish-app-modal";
import { useSession } from "@/components/auth/session-context";
import { JobsTable, JOB_LIST_DEFAULTS } from "@/components/jobs/jobs-table";
import { holdsRight } from "@/components/permissions/bits";
import { refName } from "@/components/permissions/object-ref";
import { PermissionsPanel } from "@/components/permissions/permissions-panel";
import { DetailHeader } from "@/components/ui/detail-header";
import { EnableToggle } from "@/components/ui/enable-toggle-button";
import { formatDateTime } from "@/components/ui/format";
import { QueryView } from "@/components/ui/query-view";
import { StateBadge } from "@/components/ui/state-badge";
import { useListLocalState } from "@/components/ui/use-list-local-state";
import { imageDownloadHref, type ImageDto } from "./api";
import { EditImageButton } from "./edit-image-modal";
import { ImageActivity } from "./image-activity";
import { ImageInfoTab } from "./image-info-tab";
import { canDownload } from "./image-state";
import { useDeleteImage, useImage, useInvalidateImages, useUpdateImage } from "./queries";
import { UploadActions } from "./upload-actions";
import { dismissUpload } from "./upload-manager";

export function ImageDetail({ id }: { id: number }) {
  const query = useImage(id);
  return <QueryView query={query}>{(image) => <ImageView image={image} />}</QueryView>;
}

function ImageView({ image }: { image: ImageDto }) {
  const update = useUpdateImage();
  const me = useSession().user;
  const remove = useDeleteImage();
  const invalidate = useInvalidateImages();
  const jobs = useListLocalState(JOB_LIST_DEFAULTS);
  const canManage = holdsRight(me, image, "manage");
  const noManage = canManage ? undefined : "You need MANAGE permission on this image";

  return (
    <>
      <DetailHeader
        name={image.name}
        badges={<StateBadge state={image.state} />}
        meta={`ID ${image.id} · ${image.type} · datastore ${refName(image.datastore)} · created ${formatDateTime(image.createdAt)}`}
        remove={{
          kind: "image",
          name: image.name,
          consequence: `The image ${image.name} and its ${image.sizeBytes ? "bytes" : "partial upload"} will be deleted from datastore ${refName(image.datastore)}. This cannot be undone.`,
          disabledReason: noManage,
          // an upload still running from this page stops with the image (the server drops its bytes)
          onDelete: () => remove.mutateAsync(image.id).then(() => dismissUpload(image.id)),
          listPath: "/images",
        }}
      >
        {canDownload(image) ? (
          <Button
            component="a"
            href={imageDownloadHref(image.id)}
            download
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            Download
          </Button>
        ) : null}
        <PublishToMarketButton
          source={{ kind: "image", id: image.id }}
          defaultName={image.name}
          disabledReason={
            image.state === "READY" || image.state === "USED" ? undefined : "Only a ready image can be published"
          }
        />
        <UploadActions image={image} canManage={canManage} withControls={false} size="sm" />
        {image.state === "READY" || image.state === "DISABLED" ? (
          <EnableToggle
            what="Image"
            object={image}
            enabled={image.state === "READY"}
            update={update}
            disabled={!canManage}
          />
        ) : null}
        <EditImageButton image={image} disabled={!canManage} />
      </DetailHeader>
      <Stack gap="md" mb="md" maw={760}>
        {image.state === "ERROR" ? (
          <Alert color="red" role="alert" title="The image failed">
            {image.error || "No reason was recorded."}
          </Alert>
        ) : null}
        <ImageActivity image={image} withControls />
      </Stack>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
          <Tabs.Tab value="jobs">Jobs</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <ImageInfoTab image={image} />
        </Tabs.Panel>
        <Tabs.Panel value="permissions" pt="md">
          <PermissionsPanel resourcePath={`/images/${image.id}`} ownership={image} onChanged={invalidate} />
        </Tabs.Panel>
        <Tabs.Panel value="jobs" pt="md">
          <JobsTable list={jobs} object={{ type: "IMAGE", id: image.id }} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
