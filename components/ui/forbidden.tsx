import { Alert } from "@mantine/core";

/** Rendered by admin-only pages for everyone else (the server decides; the API refuses too). */
export function Forbidden({ message = "Only administrators can see this page." }: { message?: string }) {
  return (
    <Alert color="red" title="Not allowed" role="alert" maw={640}>
      {message}
    </Alert>
  );
}
