"use client";

import "swagger-ui-react/swagger-ui.css";
import SwaggerUI from "swagger-ui-react";

/** Swagger UI over the OpenAPI document the API generates from its own operations. */
export default function Swagger() {
  return <SwaggerUI url="/api/v1/openapi.json" docExpansion="list" deepLinking tryItOutEnabled={false} />;
}
