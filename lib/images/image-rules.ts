/** Which image types each datastore type takes (OpenNebula: files live in FILE datastores). */
export const TYPES_BY_DATASTORE: Record<string, readonly string[]> = {
  IMAGE: ["OS", "CDROM", "DATABLOCK"],
  FILE: ["KERNEL", "RAMDISK", "CONTEXT"],
};

/** The driver key of an image's bytes: made from its id, never from a user's words. */
export const imageKey = (imageId: number) => `img-${imageId}`;
