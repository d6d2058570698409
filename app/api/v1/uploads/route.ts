import { handleUploadRequest } from "@/lib/uploads/handle-upload-request";

// tus protocol: POST creates an upload (see lib/api/operations/uploads.ts)
export const POST = handleUploadRequest;
