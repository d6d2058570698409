import { handleUploadRequest } from "@/lib/uploads/handle-upload-request";

// tus protocol: HEAD tells the offset, PATCH appends, DELETE abandons
export const HEAD = handleUploadRequest;
export const PATCH = handleUploadRequest;
export const DELETE = handleUploadRequest;
