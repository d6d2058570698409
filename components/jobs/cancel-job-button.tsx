"use client";

import { Button } from "@mantine/core";
import { IconPlayerStop } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { useCancelJob } from "./queries";

/** Asks the worker to stop a queued or running job; the object it worked on says what happened. */
export function CancelJobButton({
  jobId,
  disabled,
  size = "xs",
}: {
  jobId: number;
  disabled?: boolean;
  size?: "xs" | "sm";
}) {
  const cancel = useCancelJob();
  return (
    <Button
      size={size}
      variant="light"
      color="red"
      leftSection={<IconPlayerStop size={14} aria-hidden />}
      loading={cancel.isPending}
      disabled={disabled}
      onClick={() =>
        cancel.mutate(jobId, {
          onSuccess: () => notifySuccess(`Cancelling job ${jobId}`),
          onError: (err) => notifyError(err),
        })
      }
    >
      Cancel
    </Button>
  );
}
