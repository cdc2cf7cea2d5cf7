/// The OpenAPI 3.1 document served at `/openapi.json`, kept by hand; a test checks that it
/// names exactly the routes the server has, and (when available) that openapi-spec-validator accepts it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Convergent API",
  "version": "0.1.0",
  "description": "Order capture and subscription lifecycle for multilevel product bundles. Errors are RFC 9457 problem details with a stable code."
 },
 "servers": [
  {
   "url": "http://127.0.0.1:8080"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "paths": {
  "/health": {
   "get": {
    "summary": "Liveness and database check",
    "tags": [
     "system"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      }
     },
     "503": {
      "description": "Database unavailable",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "security": []
   }
  },
  "/openapi.json": {
   "get": {
    "summary": "This document",
    "tags": [
     "system"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": true
        }
       }
      }
     }
    },
    "security": []
   }
  },
  "/metrics": {
   "get": {
    "summary": "Prometheus metrics (text exposition format)",
    "tags": [
     "system"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    },
    "security": []
   }
  },
  "/api/v1/catalog/versions": {
   "get": {
    "summary": "List catalog versions",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/CatalogVersion"
         }
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Upload a catalog version: validated, stored, optionally activated (administrator)",
    "tags": [
     "catalog"
    ],
    "responses": {
     "201": {
      "description": "Stored (status validated, or active with ?activate=true)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CatalogVersion"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "415": {
      "description": "Unsupported media type",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "activate",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "true to activate at once"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/yaml": {
       "schema": {
        "type": "string"
       }
      },
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CatalogFiles"
       }
      }
     }
    }
   }
  },
  "/api/v1/catalog/validate": {
   "post": {
    "summary": "Check a catalog without storing it",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CatalogValidation"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "415": {
      "description": "Unsupported media type",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/yaml": {
       "schema": {
        "type": "string"
       }
      },
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CatalogFiles"
       }
      }
     }
    },
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/catalog/versions/{version}": {
   "get": {
    "summary": "One catalog version",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CatalogVersion"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "version",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Catalog version"
     }
    ]
   }
  },
  "/api/v1/catalog/versions/{version}/export": {
   "get": {
    "summary": "Export a version as YAML files (JSON list, or ?format=yaml for one YAML stream)",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "Files",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CatalogFiles"
        }
       },
       "application/yaml": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "version",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Catalog version"
     },
     {
      "name": "format",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "yaml for a single YAML text"
     }
    ]
   }
  },
  "/api/v1/catalog/versions/{version}/activate": {
   "post": {
    "summary": "Activate a stored version (administrator)",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CatalogVersion"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "version",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Catalog version"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/catalog/diff": {
   "get": {
    "summary": "What changed between two versions",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CatalogDiff"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Older version"
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Newer version"
     }
    ]
   }
  },
  "/api/v1/catalog/products": {
   "get": {
    "summary": "Products of the catalog active on a date, with selling status",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ProductList"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "date",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Reference date (YYYY-MM-DD) for the active catalog and selling status; default today."
     },
     {
      "name": "version",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A catalog version instead of the one active on the date."
     },
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "contract, play, offer, atomicOffer, functional, commitment or device"
     },
     {
      "name": "q",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Text in id or name"
     }
    ]
   }
  },
  "/api/v1/catalog/products/{id}": {
   "get": {
    "summary": "One product with components, memberships, rules and selling status",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": true
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Product id"
     },
     {
      "name": "date",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Reference date (YYYY-MM-DD) for the active catalog and selling status; default today."
     },
     {
      "name": "version",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A catalog version instead of the one active on the date."
     }
    ]
   }
  },
  "/api/v1/catalog/bundles/{id}": {
   "get": {
    "summary": "A bundle tree with the selling status of every element",
    "tags": [
     "catalog"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "additionalProperties": true
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Product id"
     },
     {
      "name": "date",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Reference date (YYYY-MM-DD) for the active catalog and selling status; default today."
     },
     {
      "name": "version",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A catalog version instead of the one active on the date."
     }
    ]
   }
  },
  "/api/v1/customers": {
   "get": {
    "summary": "List customers (cursor pagination)",
    "tags": [
     "customers"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CustomerPage"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "person or company"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "nextCursor of the previous page"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1 to 500, default 50"
     }
    ]
   },
   "post": {
    "summary": "Create a customer (id assigned when absent)",
    "tags": [
     "customers"
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Customer"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CustomerInput"
       }
      }
     }
    },
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/customers/{id}": {
   "get": {
    "summary": "One customer",
    "tags": [
     "customers"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Customer"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     }
    ]
   }
  },
  "/api/v1/customers/{id}/contacts": {
   "post": {
    "summary": "Add a contact",
    "tags": [
     "customers"
    ],
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Customer"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Contact"
       }
      }
     }
    }
   }
  },
  "/api/v1/customers/{id}/bill-to": {
   "post": {
    "summary": "Add a bill-to relationship: payer pays for this customer in a period",
    "tags": [
     "customers"
    ],
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Customer"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/BillTo"
       }
      }
     }
    }
   }
  },
  "/api/v1/customers/{id}/billing-accounts": {
   "get": {
    "summary": "Billing accounts the customer owns",
    "tags": [
     "customers"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/BillingAccount"
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     }
    ]
   },
   "post": {
    "summary": "Create a billing account",
    "tags": [
     "customers"
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BillingAccount"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/BillingAccountInput"
       }
      }
     }
    }
   }
  },
  "/api/v1/billing-accounts/{id}": {
   "get": {
    "summary": "One billing account",
    "tags": [
     "customers"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BillingAccount"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Account number"
     }
    ]
   }
  },
  "/api/v1/billing-accounts/{id}/status": {
   "post": {
    "summary": "Move an account Pending \u2192 Active \u2192 Closed",
    "tags": [
     "customers"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BillingAccount"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Account number"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "status"
        ],
        "properties": {
         "status": {
          "enum": [
           "Pending",
           "Active",
           "Closed"
          ]
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/history/{kind}/{id}": {
   "get": {
    "summary": "Append-only history of an aggregate (who, when, what changed, why), paged by version",
    "tags": [
     "history"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HistoryPage"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "A parameter is invalid (problem details name it)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "kind",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "The aggregate kind, kebab-case like resource paths: catalog-version, customer, billing-account, user, api-token, order, session, installed-contract, setting, job or provisioning-message (the snake_case spelling is accepted too)"
     },
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Aggregate id"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version the previous page ended with"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1 to 500, default 50"
     }
    ]
   }
  },
  "/api/v1/users": {
   "get": {
    "summary": "List users (administrator)",
    "tags": [
     "users"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/User"
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Create a user (administrator)",
    "tags": [
     "users"
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/UserInput"
       }
      }
     }
    },
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/users/me": {
   "get": {
    "summary": "The user of the token",
    "tags": [
     "users"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/users/{id}": {
   "get": {
    "summary": "One user",
    "tags": [
     "users"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "User id"
     }
    ]
   }
  },
  "/api/v1/users/{id}/tokens": {
   "get": {
    "summary": "A user's tokens (never their secrets)",
    "tags": [
     "users"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/Token"
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "User id"
     }
    ]
   },
   "post": {
    "summary": "Issue a token; the secret is in this answer only",
    "tags": [
     "users"
    ],
    "responses": {
     "201": {
      "description": "Issued",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Token"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "User id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "label": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/users/{id}/tokens/{token}/revoke": {
   "post": {
    "summary": "Revoke a token (it stays, marked revoked)",
    "tags": [
     "users"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Token"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, already exists)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "User id"
     },
     {
      "name": "token",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Token id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/configurations/verify": {
   "post": {
    "summary": "Verify a configuration document, after applying operations (stateless)",
    "tags": [
     "configurations"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/VerifyResult"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request (bad JSON, bad header)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/VerifyRequest"
       }
      }
     }
    },
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/orders": {
   "get": {
    "summary": "List orders by sold-to customer, status, capture type and order date (cursor pagination)",
    "tags": [
     "orders"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OrderPage"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "customer",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Sold-to customer id"
     },
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "draft, held, submitted, queued, inFulfillment, completed, cancelled"
     },
     {
      "name": "captureType",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "convergent, simple, serviceManagement, quote, bulk, bulkServiceManagement"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Order date on or after (YYYY-MM-DD)"
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Order date on or before"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "nextCursor of the previous page"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1 to 500, default 50"
     }
    ]
   },
   "post": {
    "summary": "Create a draft order; its id is assigned now (CO\u2026, COM\u2026, SM\u2026, QT\u2026)",
    "tags": [
     "orders"
    ],
    "responses": {
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "413": {
      "description": "Body too large",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/OrderInput"
       }
      }
     }
    },
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/orders/{id}": {
   "get": {
    "summary": "One order with its lines and aggregate configuration status",
    "tags": [
     "orders"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     }
    ]
   }
  },
  "/api/v1/orders/{id}/lines": {
   "post": {
    "summary": "Add a line: a new top-level product (with related customers, name the owner) or an installed contract to service",
    "tags": [
     "orders"
    ],
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "product": {
          "type": "string"
         },
         "installedContract": {
          "type": "string"
         },
         "action": {
          "type": "string",
          "enum": [
           "add",
           "change",
           "disconnect",
           "suspend",
           "suspendChange",
           "resume"
          ]
         },
         "owner": {
          "type": "string"
         },
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/lines/{line}/clone": {
   "post": {
    "summary": "Clone a line; the copy and every validated line are Invalidated",
    "tags": [
     "orders"
    ],
    "responses": {
     "201": {
      "description": "Cloned",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "line",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Line number"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/orders/{id}/lines/{line}/remove": {
   "post": {
    "summary": "Remove a line; validated lines are Invalidated",
    "tags": [
     "orders"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "line",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Line number"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/orders/{id}/lines/{line}/customer": {
   "post": {
    "summary": "Change the customer of a line (not the owner of a new contract on an order with related customers)",
    "tags": [
     "orders"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "line",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Line number"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "customer"
        ],
        "properties": {
         "customer": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/header": {
   "post": {
    "summary": "Change the product selling date (invalidates) or raise the trial duration",
    "tags": [
     "orders"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "productSellingDate": {
          "type": "string",
          "format": "date"
         },
         "trialDays": {
          "type": "integer"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/cancel": {
   "post": {
    "summary": "Cancel an order (draft, held, queued or submitted)",
    "tags": [
     "orders"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ]
   }
  },
  "/api/v1/orders/{id}/validate": {
   "post": {
    "summary": "Run every hold check of the order's capture type and store the holds (a blocking hold puts a draft on hold)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/holds/{code}/override": {
   "post": {
    "summary": "Override an overridable hold (administrator), recording who and why",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "code",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Hold code, e.g. SELCON"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "reason"
        ],
        "properties": {
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/sessions": {
   "post": {
    "summary": "Open a configuration session over every contract line of the order (add, change, suspend/change)",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "The order's open session, as it is: an order has one open session at a time",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "201": {
      "description": "Opened",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order changed since the session opened, session closed)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/sessions/{id}": {
   "get": {
    "summary": "A session: its configuration, verification and request information",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Session id"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/sessions/{id}/operations": {
   "post": {
    "summary": "Apply operations (add, addInstance, remove, setAttribute, removeAttribute, link, unlink); every change re-verifies",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Session id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The session version read"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order changed since the session opened, session closed)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "operations"
        ],
        "properties": {
         "operations": {
          "type": "array",
          "items": {
           "$ref": "#/components/schemas/Operation"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/sessions/{id}/save": {
   "post": {
    "summary": "Save: each line gets its configuration, Not Validated",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Session id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order changed since the session opened, session closed)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/sessions/{id}/submit": {
   "post": {
    "summary": "Submit: each line gets its configuration and its verification result",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Session id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order changed since the session opened, session closed)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/sessions/{id}/cancel": {
   "post": {
    "summary": "Cancel: discard the session; the order is untouched",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Session id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order changed since the session opened, session closed)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/submit": {
   "post": {
    "summary": "Submit: holds run again; a future-dated order is queued with its fulfill-by date; a convergent order becomes simple/service-management or generates its child orders",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order-held, not-due, illegal-transition, version-conflict)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/release": {
   "post": {
    "summary": "Release a queued order on its execution date (holds run again)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "asOf": {
          "type": "string",
          "format": "date"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (order-held, not-due, illegal-transition, version-conflict)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/customers/{id}/360": {
   "get": {
    "summary": "Customer 360 view: the customer, orders by status, installed contracts, billing accounts, commitments",
    "tags": [
     "customers"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "Orders and installed contracts in the view, each: 1 to 500, default 20"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "customer": {
           "$ref": "#/components/schemas/Customer"
          },
          "version": {
           "type": "integer"
          },
          "ordersByStatus": {
           "type": "object",
           "additionalProperties": {
            "type": "array",
            "items": {
             "type": "object",
             "properties": {
              "id": {
               "type": "string"
              },
              "orderDate": {
               "type": "string",
               "format": "date"
              },
              "captureType": {
               "type": "string"
              },
              "status": {
               "type": "string"
              },
              "products": {
               "type": "array",
               "items": {
                "type": "string"
               }
              },
              "relatedInstalledProducts": {
               "type": "array",
               "items": {
                "type": "string"
               }
              },
              "parentID": {
               "type": "string"
              }
             }
            }
           }
          },
          "installedContracts": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/InstalledContract"
           },
           "description": "The first page of the customer's installed contracts, by id"
          },
          "billingAccounts": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/BillingAccount"
           }
          },
          "commitments": {
           "type": "array",
           "items": {
            "type": "string"
           }
          },
          "ordersNextCursor": {
           "type": [
            "string",
            "null"
           ],
           "description": "Where the orders continue: GET /api/v1/orders?customer=\u2026&cursor=\u2026"
          },
          "installedContractsNextCursor": {
           "type": [
            "string",
            "null"
           ],
           "description": "Where the installed contracts continue: GET /api/v1/customers/{id}/installed-contracts?cursor=\u2026"
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "Forbidden",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "A parameter is invalid (problem details name it)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/convert": {
   "post": {
    "summary": "Convert: a simple or service-management order to convergent (same id, 200); a quote to a new simple or convergent order (201)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "captureType"
        ],
        "properties": {
         "captureType": {
          "enum": [
           "simple",
           "convergent"
          ]
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Converted in place",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "201": {
      "description": "New order from a quote",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "Forbidden",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (converted already, not editable, version-conflict)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/information": {
   "post": {
    "summary": "Set one customer's billing, shipping and site information on the header (R-3.2)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CustomerOrderInformation"
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/lines/{line}/site": {
   "post": {
    "summary": "Set a line's product site (R-5.2 RPSITE, RPSITC)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "line",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Line number"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SiteInformation"
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/adjustments": {
   "post": {
    "summary": "Add a manual price adjustment to the header or a line (R-3.3)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "type",
         "amount",
         "currency",
         "reason"
        ],
        "properties": {
         "line": {
          "type": "integer"
         },
         "type": {
          "type": "string",
          "enum": [
           "oneTime",
           "recurring"
          ]
         },
         "amount": {
          "type": "number",
          "description": "negative for a discount"
         },
         "currency": {
          "type": "string"
         },
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/adjustments/{adjustment}/remove": {
   "post": {
    "summary": "Remove a manual price adjustment",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "adjustment",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Adjustment id (A1, \u2026)"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/rows": {
   "post": {
    "summary": "Add a row to a bulk order: one child order per row at submission (R-3.1)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "customer"
        ],
        "properties": {
         "customer": {
          "type": "string"
         },
         "contact": {
          "type": "string"
         },
         "installedContract": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/rows/{row}/remove": {
   "post": {
    "summary": "Remove a row from a bulk order",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "row",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Row number"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/installed-contracts/{id}": {
   "get": {
    "summary": "An installed contract with its tree (R-7.6), now or as it was at the end of a past day (R-15.5, asOf)",
    "tags": [
     "installed base"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Installed contract id"
     },
     {
      "name": "asOf",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "The contract as it was at the end of this day (UTC), from its history"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InstalledContract"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/customers/{id}/installed-contracts": {
   "get": {
    "summary": "A customer's installed contracts, by id, paged",
    "tags": [
     "installed base"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "nextCursor of the previous page"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1 to 500, default 50"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "items"
         ],
         "properties": {
          "items": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/InstalledContract"
           }
          },
          "nextCursor": {
           "type": [
            "string",
            "null"
           ]
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "A parameter is invalid (problem details name it)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/setup/trial-periods": {
   "get": {
    "summary": "Trial-period setup: enabled, default days per source and sub-source (R-10.1)",
    "tags": [
     "setup"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TrialSetup"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "put": {
    "summary": "Replace the trial-period setup (administrators)",
    "tags": [
     "setup"
    ],
    "parameters": [
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TrialSetup"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TrialSetup"
       }
      }
     }
    }
   }
  },
  "/api/v1/setup/reason-codes": {
   "get": {
    "summary": "Reason codes allowed per line action (R-3.3)",
    "tags": [
     "setup"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ReasonCodes"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   },
   "put": {
    "summary": "Replace the reason codes (administrators)",
    "tags": [
     "setup"
    ],
    "parameters": [
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ReasonCodes"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ReasonCodes"
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/related-customers": {
   "post": {
    "summary": "Add a related customer to a convergent order (R-3.2)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "201": {
      "description": "Added",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "customer"
        ],
        "properties": {
         "customer": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/related-customers/{customer}/remove": {
   "post": {
    "summary": "Remove a related customer and, once confirmed, its lines (R-3.6)",
    "tags": [
     "orders"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "customer",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Customer id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The version read; a stale one gives 409 version-conflict."
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "confirm": {
          "type": "boolean"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/sessions/{id}/instances/{instance}": {
   "get": {
    "summary": "One instance of a session: its element, links, the rules naming its product and its possible link targets (R-4.2)",
    "tags": [
     "sessions"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Session id"
     },
     {
      "name": "instance",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Instance key"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "element",
          "links",
          "rules",
          "linkTargets"
         ],
         "properties": {
          "element": {
           "type": "object"
          },
          "links": {
           "type": "array",
           "items": {
            "type": "object"
           }
          },
          "rules": {
           "type": "array",
           "items": {
            "type": "object",
            "required": [
             "id",
             "kind",
             "severity",
             "message",
             "active"
            ],
            "properties": {
             "id": {
              "type": "string"
             },
             "kind": {
              "type": "string"
             },
             "severity": {
              "type": "string"
             },
             "message": {
              "type": "string"
             },
             "active": {
              "type": "boolean"
             },
             "activePeriod": {
              "type": "object"
             }
            }
           }
          },
          "linkTargets": {
           "type": "array",
           "items": {
            "type": "string"
           }
          },
          "migrations": {
           "type": "array",
           "description": "R-6.1: migrations offered for the instance (public, active today, eligible), with places in the session and contract products a new contract could be created from",
           "items": {
            "type": "object",
            "properties": {
             "action": {
              "type": "string"
             },
             "name": {
              "type": "string"
             },
             "kind": {
              "type": "string",
              "enum": [
               "transformation",
               "reparenting"
              ]
             },
             "target": {
              "type": "string"
             },
             "inSession": {
              "type": "array",
              "items": {
               "type": "object",
               "properties": {
                "contract": {
                 "type": "string"
                },
                "customer": {
                 "type": "string"
                },
                "parent": {
                 "type": "string"
                },
                "parentProduct": {
                 "type": "string"
                }
               }
              }
             },
             "newContracts": {
              "type": "array",
              "items": {
               "type": "string"
              }
             }
            }
           }
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/clock": {
   "get": {
    "summary": "The server's clock: now, today, and whether it is the system clock or a test clock",
    "tags": [
     "system"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Clock"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/clock/advance": {
   "post": {
    "summary": "Move the test clock forward (administrators; serve --clock test)",
    "tags": [
     "system"
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Clock"
        }
       }
      }
     },
     "400": {
      "description": "Malformed request",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (stale version, illegal transition, order not editable)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "properties": {
         "days": {
          "type": "integer",
          "minimum": 0
         },
         "seconds": {
          "type": "number",
          "minimum": 0
         },
         "to": {
          "type": "string",
          "format": "date"
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/jobs": {
   "get": {
    "summary": "Background jobs by status and kind (R-14)",
    "tags": [
     "system"
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      }
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "items"
         ],
         "properties": {
          "items": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/Job"
           }
          },
          "nextCursor": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid field or rule violated (see code and field)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/fulfillment/retry": {
   "post": {
    "summary": "An agent sends the failed provisioning messages of an order in jeopardy again (R-7.5)",
    "tags": [
     "fulfillment"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The order version the agent saw"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (not-in-jeopardy, version-conflict)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/orders/{id}/fulfillment/resume": {
   "post": {
    "summary": "An agent resumes an order in jeopardy: its failed messages were carried out by hand and count as answered (R-7.5)",
    "tags": [
     "fulfillment"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Order id"
     },
     {
      "name": "If-Match",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The order version the agent saw"
     },
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "409": {
      "description": "Conflict (not-in-jeopardy, version-conflict)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/fulfillment/jeopardy": {
   "get": {
    "summary": "Orders in jeopardy: provisioning gave up after its last attempt (R-7.5), or fulfillment refused to start on a contract disconnected since validation",
    "tags": [
     "fulfillment"
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "items": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "order": {
              "type": "string"
             },
             "captureType": {
              "type": "string"
             },
             "customer": {
              "type": "string"
             },
             "jeopardy": {
              "$ref": "#/components/schemas/Jeopardy"
             },
             "version": {
              "type": "integer"
             }
            }
           }
          },
          "nextCursor": {
           "type": [
            "string",
            "null"
           ]
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "A parameter is invalid (problem details name it)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    },
    "parameters": [
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "nextCursor of the previous page"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1 to 500, default 50"
     }
    ]
   }
  },
  "/api/v1/installed-products/{id}": {
   "get": {
    "summary": "One installed product: where it sits (Child Of, Sells), its links and its status history (R-7.6)",
    "tags": [
     "installed base"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "Installed product id (<contract> or <contract>.<n>)"
     }
    ],
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InstalledProduct"
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid bearer token",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "403": {
      "description": "The user's role does not allow this",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "Not found",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/provisioning/callbacks": {
   "post": {
    "summary": "A provisioning system answers one send of one message (R-7.5). No bearer token: the body must be signed, X-Convergent-Signature: sha256=<hex HMAC-SHA256 of the body with CONVERGENT_PROVISIONING_SECRET>. Duplicate and out-of-order answers change nothing twice.",
    "tags": [
     "fulfillment"
    ],
    "security": [],
    "parameters": [
     {
      "name": "X-Convergent-Signature",
      "in": "header",
      "required": true,
      "schema": {
       "type": "string"
      },
      "description": "sha256=<hex HMAC-SHA256 of the exact body>"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "message",
         "attempt",
         "status"
        ],
        "properties": {
         "message": {
          "type": "string"
         },
         "attempt": {
          "type": "integer"
         },
         "status": {
          "type": "string",
          "enum": [
           "completed",
           "failed"
          ]
         },
         "error": {
          "type": "string"
         },
         "items": {
          "type": "array",
          "items": {
           "type": "object",
           "required": [
            "installedProduct"
           ],
           "properties": {
            "installedProduct": {
             "type": "string"
            },
            "distributor": {
             "type": "string"
            }
           }
          }
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "OK",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "message": {
           "type": "string"
          },
          "outcome": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "401": {
      "description": "Missing or invalid signature (invalid-signature), or no secret configured (callbacks-not-configured)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "404": {
      "description": "No such order or message (unknown-provisioning-message)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     },
     "422": {
      "description": "Invalid body or attempt (unknown-provisioning-attempt)",
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   }
  },
  "schemas": {
   "Problem": {
    "type": "object",
    "required": [
     "type",
     "title",
     "status",
     "detail",
     "code"
    ],
    "properties": {
     "type": {
      "type": "string"
     },
     "title": {
      "type": "string"
     },
     "status": {
      "type": "integer"
     },
     "detail": {
      "type": "string"
     },
     "code": {
      "type": "string",
      "description": "Stable machine-readable code"
     },
     "field": {
      "type": "string"
     },
     "line": {
      "type": "integer"
     },
     "problems": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "code": {
         "type": "string"
        },
        "message": {
         "type": "string"
        },
        "path": {
         "type": "string"
        },
        "file": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        }
       }
      }
     }
    }
   },
   "Health": {
    "type": "object",
    "properties": {
     "status": {
      "type": "string"
     },
     "database": {
      "type": "string"
     },
     "time": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "CatalogFiles": {
    "type": "object",
    "required": [
     "files"
    ],
    "properties": {
     "files": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "text"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "text": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "CatalogValidation": {
    "type": "object",
    "properties": {
     "valid": {
      "type": "boolean"
     },
     "version": {
      "type": "string"
     },
     "problems": {
      "type": "array",
      "items": {
       "type": "object",
       "additionalProperties": true
      }
     }
    }
   },
   "CatalogVersion": {
    "type": "object",
    "properties": {
     "version": {
      "type": "string"
     },
     "effectiveFrom": {
      "type": "string",
      "format": "date"
     },
     "status": {
      "enum": [
       "validated",
       "active"
      ]
     },
     "activationSequence": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     },
     "description": {
      "type": "string"
     },
     "products": {
      "type": "integer"
     },
     "rules": {
      "type": "integer"
     },
     "uploadedAt": {
      "type": "string",
      "format": "date-time"
     },
     "updatedAt": {
      "type": "string",
      "format": "date-time"
     },
     "recordVersion": {
      "type": "integer"
     },
     "migrations": {
      "type": "integer",
      "description": "Migration actions (R-1.6)"
     }
    }
   },
   "CatalogDiff": {
    "type": "object",
    "properties": {
     "from": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "headerChanges": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "entries": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "change": {
         "enum": [
          "added",
          "removed",
          "changed"
         ]
        },
        "element": {
         "type": "string"
        },
        "id": {
         "type": "string"
        },
        "fields": {
         "type": "array",
         "items": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   },
   "SellingInfo": {
    "type": "object",
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "enum": [
       "past",
       "current",
       "future"
      ]
     },
     "period": {
      "type": "object",
      "properties": {
       "start": {
        "type": "string",
        "format": "date"
       },
       "end": {
        "type": "string",
        "format": "date"
       }
      }
     },
     "obsoleteSince": {
      "type": "string",
      "format": "date"
     }
    }
   },
   "ProductList": {
    "type": "object",
    "properties": {
     "catalogVersion": {
      "type": "string"
     },
     "date": {
      "type": "string",
      "format": "date"
     },
     "items": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "id": {
         "type": "string"
        },
        "name": {
         "type": "string"
        },
        "kind": {
         "type": "string"
        },
        "selling": {
         "type": "object",
         "required": [
          "status"
         ],
         "properties": {
          "status": {
           "enum": [
            "past",
            "current",
            "future"
           ]
          },
          "period": {
           "type": "object",
           "properties": {
            "start": {
             "type": "string",
             "format": "date"
            },
            "end": {
             "type": "string",
             "format": "date"
            }
           }
          },
          "obsoleteSince": {
           "type": "string",
           "format": "date"
          }
         }
        },
        "memberOf": {
         "type": "array",
         "items": {
          "type": "object",
          "additionalProperties": true
         }
        }
       }
      }
     }
    }
   },
   "Contact": {
    "type": "object",
    "required": [
     "name"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "role": {
      "type": "string"
     },
     "email": {
      "type": "string"
     },
     "phone": {
      "type": "string"
     }
    }
   },
   "BillTo": {
    "type": "object",
    "required": [
     "payer",
     "period"
    ],
    "properties": {
     "payer": {
      "type": "string"
     },
     "period": {
      "type": "object",
      "properties": {
       "start": {
        "type": "string",
        "format": "date"
       },
       "end": {
        "type": "string",
        "format": "date"
       }
      }
     }
    }
   },
   "CustomerInput": {
    "type": "object",
    "required": [
     "kind"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "enum": [
       "person",
       "company"
      ]
     },
     "name": {
      "type": "string"
     },
     "anonymous": {
      "type": "boolean"
     },
     "segment": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "attributedAgent": {
      "type": "string"
     },
     "accountsReceivableActive": {
      "type": "boolean"
     },
     "contacts": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Contact"
      }
     },
     "addresses": {
      "type": "array",
      "items": {
       "type": "object",
       "additionalProperties": true
      }
     },
     "billTo": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/BillTo"
      }
     }
    }
   },
   "Customer": {
    "allOf": [
     {
      "$ref": "#/components/schemas/CustomerInput"
     },
     {
      "type": "object",
      "properties": {
       "version": {
        "type": "integer"
       }
      }
     }
    ]
   },
   "CustomerPage": {
    "type": "object",
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Customer"
      }
     },
     "nextCursor": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "BillingAccountInput": {
    "type": "object",
    "required": [
     "type",
     "paymentMode"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "contact": {
      "type": "string"
     },
     "type": {
      "enum": [
       "Individual",
       "Prepaid",
       "Sponsored",
       "Subordinate"
      ]
     },
     "paymentMode": {
      "enum": [
       "prepaid",
       "postpaid"
      ]
     },
     "status": {
      "enum": [
       "Pending",
       "Active",
       "Closed"
      ]
     },
     "balance": {
      "type": "number"
     },
     "currency": {
      "type": "string"
     }
    }
   },
   "BillingAccount": {
    "allOf": [
     {
      "$ref": "#/components/schemas/BillingAccountInput"
     },
     {
      "type": "object",
      "properties": {
       "owner": {
        "type": "string"
       },
       "version": {
        "type": "integer"
       }
      }
     }
    ]
   },
   "HistoryEntry": {
    "type": "object",
    "properties": {
     "sequence": {
      "type": "integer"
     },
     "at": {
      "type": "string",
      "format": "date-time"
     },
     "actor": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "id": {
      "type": "string"
     },
     "version": {
      "type": "integer"
     },
     "action": {
      "type": "string"
     },
     "reason": {
      "type": "string"
     },
     "data": {
      "type": "string",
      "description": "The aggregate as JSON after the change"
     },
     "event": {
      "type": "string",
      "description": "What happened: <kind>.created, <kind>.<new status> when the change set the aggregate's status (order.submitted, job.running), <kind>.updated otherwise"
     },
     "change": {
      "type": "array",
      "description": "What the change did to the previous version, as RFC 6902 JSON Patch operations; absent on a stored snapshot (the first version, and every 16th)",
      "items": {
       "$ref": "#/components/schemas/JSONPatchOperation"
      }
     }
    },
    "required": [
     "sequence",
     "at",
     "actor",
     "kind",
     "id",
     "version",
     "action",
     "event",
     "data"
    ]
   },
   "UserInput": {
    "type": "object",
    "required": [
     "id",
     "name",
     "role"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "role": {
      "enum": [
       "administrator",
       "agent"
      ]
     },
     "actsFor": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "User": {
    "allOf": [
     {
      "$ref": "#/components/schemas/UserInput"
     },
     {
      "type": "object",
      "properties": {
       "active": {
        "type": "boolean"
       },
       "version": {
        "type": "integer"
       }
      }
     }
    ]
   },
   "Token": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string"
     },
     "user": {
      "type": "string"
     },
     "label": {
      "type": "string"
     },
     "revoked": {
      "type": "boolean"
     },
     "secret": {
      "type": "string",
      "description": "Only when issued"
     }
    }
   },
   "Component": {
    "type": "object",
    "required": [
     "id",
     "product"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "product": {
      "type": "string"
     },
     "installedStatus": {
      "enum": [
       "active",
       "pendingActivation",
       "suspended",
       "pendingSuspension",
       "pendingResumption",
       "pendingDisconnection",
       "disconnected",
       "inactive"
      ]
     },
     "removed": {
      "type": "boolean"
     },
     "attributes": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "components": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Component"
      }
     },
     "broughtBy": {
      "type": "string",
      "description": "The instance whose brings-and-removes rule added this one"
     }
    },
    "description": "A component of a configuration: new (no installedStatus) or installed (R-4.4)."
   },
   "ConfigurationDocument": {
    "type": "object",
    "required": [
     "contracts"
    ],
    "properties": {
     "productSellingDate": {
      "type": "string",
      "format": "date"
     },
     "contracts": {
      "type": "array",
      "items": {
       "allOf": [
        {
         "$ref": "#/components/schemas/Component"
        },
        {
         "type": "object",
         "required": [
          "customer"
         ],
         "properties": {
          "customer": {
           "type": "string"
          }
         }
        }
       ]
      }
     },
     "links": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "from",
        "to"
       ],
       "properties": {
        "from": {
         "type": "string"
        },
        "to": {
         "type": "string"
        }
       }
      }
     },
     "migrations": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Migration"
      }
     }
    }
   },
   "Operation": {
    "type": "object",
    "required": [
     "op"
    ],
    "properties": {
     "op": {
      "enum": [
       "add",
       "addInstance",
       "remove",
       "setAttribute",
       "removeAttribute",
       "link",
       "unlink",
       "migrate",
       "reverseMigration"
      ]
     },
     "product": {
      "type": "string"
     },
     "contract": {
      "type": "string"
     },
     "parent": {
      "type": "string",
      "description": "add: where to put it; migrate: the instance the component goes under"
     },
     "instance": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "value": {
      "type": "string"
     },
     "from": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "placements": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      },
      "description": "product id \u2192 instance to put it under (answers a question)"
     },
     "action": {
      "type": "string",
      "description": "migrate: the migration action (R-1.6), one offered for the instance (GET /sessions/{id}/instances/{key})"
     },
     "newContract": {
      "type": "object",
      "required": [
       "product",
       "customer"
      ],
      "properties": {
       "product": {
        "type": "string"
       },
       "customer": {
        "type": "string"
       }
      },
      "description": "migrate: create a new contract of this product for this customer of the order and migrate into it (instead of parent)"
     },
     "migration": {
      "type": "string",
      "description": "reverseMigration: the migration id (M1, M2, \u2026)"
     }
    }
   },
   "VerifyRequest": {
    "type": "object",
    "required": [
     "configuration"
    ],
    "properties": {
     "catalogVersion": {
      "type": "string"
     },
     "configuration": {
      "$ref": "#/components/schemas/ConfigurationDocument"
     },
     "operations": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Operation"
      }
     }
    }
   },
   "VerifyResult": {
    "type": "object",
    "properties": {
     "catalogVersion": {
      "type": "string"
     },
     "status": {
      "enum": [
       "Valid",
       "Valid with Warning",
       "Invalid"
      ]
     },
     "question": {
      "type": "object",
      "properties": {
       "product": {
        "type": "string"
       },
       "rule": {
        "type": "string"
       },
       "message": {
        "type": "string"
       },
       "candidates": {
        "type": "array",
        "items": {
         "type": "object",
         "additionalProperties": true
        }
       }
      }
     },
     "questionOperation": {
      "type": "integer"
     },
     "applied": {
      "type": "array",
      "items": {
       "type": "object",
       "additionalProperties": true
      }
     },
     "report": {
      "type": "object",
      "properties": {
       "status": {
        "type": "string"
       },
       "productSellingDate": {
        "type": "string",
        "format": "date"
       },
       "errorCount": {
        "type": "integer"
       },
       "warningCount": {
        "type": "integer"
       },
       "elements": {
        "type": "array",
        "items": {
         "type": "object",
         "properties": {
          "instance": {
           "type": "string"
          },
          "product": {
           "type": "string"
          },
          "selling": {
           "type": "object",
           "required": [
            "status"
           ],
           "properties": {
            "status": {
             "enum": [
              "past",
              "current",
              "future"
             ]
            },
            "period": {
             "type": "object",
             "properties": {
              "start": {
               "type": "string",
               "format": "date"
              },
              "end": {
               "type": "string",
               "format": "date"
              }
             }
            },
            "obsoleteSince": {
             "type": "string",
             "format": "date"
            }
           }
          },
          "errors": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/VerificationMessage"
           }
          },
          "warnings": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/VerificationMessage"
           }
          }
         }
        }
       },
       "contractMessages": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/VerificationMessage"
        }
       },
       "links": {
        "type": "array",
        "items": {
         "type": "object",
         "additionalProperties": true
        }
       }
      }
     },
     "configuration": {
      "$ref": "#/components/schemas/ConfigurationDocument"
     }
    }
   },
   "OrderInput": {
    "type": "object",
    "required": [
     "captureType",
     "soldTo"
    ],
    "properties": {
     "captureType": {
      "enum": [
       "convergent",
       "simple",
       "serviceManagement",
       "quote",
       "bulk",
       "bulkServiceManagement"
      ]
     },
     "soldTo": {
      "type": "string"
     },
     "contact": {
      "type": "string"
     },
     "relatedCustomers": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "productSellingDate": {
      "type": "string",
      "format": "date"
     },
     "source": {
      "type": "string"
     },
     "subSource": {
      "type": "string"
     },
     "trialDays": {
      "type": "integer"
     },
     "customerInformation": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/CustomerOrderInformation"
      }
     }
    }
   },
   "Order": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string"
     },
     "captureType": {
      "type": "string"
     },
     "orderDate": {
      "type": "string",
      "format": "date"
     },
     "header": {
      "type": "object",
      "properties": {
       "soldTo": {
        "type": "string"
       },
       "contact": {
        "type": "string"
       },
       "relatedCustomers": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "productSellingDate": {
        "type": "string",
        "format": "date"
       },
       "fulfillBy": {
        "type": "string",
        "format": "date"
       },
       "source": {
        "type": "string"
       },
       "subSource": {
        "type": "string"
       },
       "trialDays": {
        "type": "integer"
       },
       "customerInformation": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/CustomerOrderInformation"
        }
       }
      }
     },
     "lines": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "number": {
         "type": "integer"
        },
        "action": {
         "enum": [
          "add",
          "change",
          "disconnect",
          "suspend",
          "suspendChange",
          "resume"
         ]
        },
        "reason": {
         "type": "string"
        },
        "customer": {
         "type": "string"
        },
        "product": {
         "type": "string"
        },
        "installedContract": {
         "type": "string"
        },
        "configurationStatus": {
         "enum": [
          "Not Validated",
          "Valid",
          "Valid with Warning",
          "Invalid",
          "Invalidated"
         ]
        },
        "configuration": {
         "type": "object"
        },
        "status": {
         "enum": [
          "open",
          "submitted",
          "inFulfillment",
          "completed",
          "failed",
          "cancelled"
         ]
        },
        "clonedFrom": {
         "type": "integer"
        },
        "site": {
         "$ref": "#/components/schemas/SiteInformation"
        },
        "createdByMigration": {
         "type": "boolean",
         "description": "a new contract created in a session as a migration target (R-6.1)"
        },
        "emptiedByMigration": {
         "type": "boolean",
         "description": "every component migrated away: the action became disconnect (R-3.6)"
        }
       }
      }
     },
     "status": {
      "enum": [
       "draft",
       "held",
       "submitted",
       "queued",
       "inFulfillment",
       "completed",
       "cancelled"
      ]
     },
     "configurationStatus": {
      "type": "string"
     },
     "version": {
      "type": "integer"
     },
     "holds": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "code": {
         "type": "string"
        },
        "message": {
         "type": "string"
        },
        "resolution": {
         "type": "string"
        },
        "lines": {
         "type": "array",
         "items": {
          "type": "integer"
         }
        },
        "relatedOrders": {
         "type": "array",
         "items": {
          "type": "string"
         }
        },
        "overridable": {
         "type": "boolean"
        },
        "details": {
         "type": "array",
         "description": "What exactly is wrong (MLBAV: the component and the missing account or customer; obsolete/expired: the element and its date)",
         "items": {
          "type": "string"
         }
        },
        "overriddenBy": {
         "type": "string"
        },
        "overrideReason": {
         "type": "string"
        },
        "overriddenAt": {
         "type": "string",
         "format": "date-time"
        }
       }
      }
     },
     "parentID": {
      "type": "string"
     },
     "sessions": {
      "type": "array",
      "description": "R-4.1: the configuration sessions opened on the order, oldest first; at most one is open",
      "items": {
       "type": "string"
      }
     },
     "children": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "id": {
         "type": "string"
        },
        "captureType": {
         "type": "string"
        },
        "customer": {
         "type": "string"
        },
        "lines": {
         "type": "array",
         "items": {
          "type": "integer"
         }
        },
        "products": {
         "type": "array",
         "items": {
          "type": "string"
         }
        }
       }
      }
     },
     "convertedTo": {
      "type": "string"
     },
     "convertedFrom": {
      "type": "string"
     },
     "adjustments": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/PriceAdjustment"
      }
     },
     "links": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "from": {
         "type": "string"
        },
        "to": {
         "type": "string"
        }
       }
      }
     },
     "bulkRows": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "number": {
         "type": "integer"
        },
        "customer": {
         "type": "string"
        },
        "contact": {
         "type": "string"
        },
        "installedContract": {
         "type": "string"
        }
       }
      }
     },
     "pricing": {
      "$ref": "#/components/schemas/OrderPricing"
     },
     "submittedPricing": {
      "$ref": "#/components/schemas/OrderPricing"
     },
     "relationships": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "kind": {
         "type": "string",
         "enum": [
          "Child Of",
          "Sells",
          "Relies On",
          "Brings On Creation",
          "Brings and Removes",
          "Owned By",
          "Billed To",
          "Migrates To",
          "Migrated From"
         ]
        },
        "from": {
         "type": "string"
        },
        "fromProduct": {
         "type": "string"
        },
        "fromLine": {
         "type": "integer"
        },
        "to": {
         "type": "string",
         "description": "a component, or the customer for Owned By and Billed To"
        },
        "toProduct": {
         "type": "string"
        },
        "toLine": {
         "type": "integer"
        },
        "change": {
         "enum": [
          "add",
          "remove"
         ],
         "description": "set on relationships a migration adds or removes (R-6.4)"
        },
        "migration": {
         "type": "string"
        }
       }
      }
     },
     "sellingStatus": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "line": {
         "type": "integer"
        },
        "instance": {
         "type": "string"
        },
        "product": {
         "type": "string"
        },
        "selling": {
         "type": "object"
        }
       }
      }
     },
     "completedOn": {
      "type": "string",
      "format": "date"
     },
     "trialEndsOn": {
      "type": "string",
      "format": "date"
     },
     "fulfillment": {
      "$ref": "#/components/schemas/OrderFulfillment"
     },
     "migrations": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "migration": {
         "$ref": "#/components/schemas/Migration"
        },
        "sourceLine": {
         "type": "integer"
        },
        "targetLine": {
         "type": "integer"
        },
        "sourceInstalledContract": {
         "type": "string"
        },
        "targetInstalledContract": {
         "type": "string"
        }
       }
      }
     },
     "provisioningMessages": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ProvisioningMessage"
      },
      "description": "R-7.5: on a single order read once fulfillment started: one message per provisioning system (stored apart from the order; its history is /history/provisioning-message/{id})"
     }
    }
   },
   "OrderPage": {
    "type": "object",
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Order"
      }
     },
     "nextCursor": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "Session": {
    "type": "object",
    "properties": {
     "session": {
      "type": "object",
      "properties": {
       "id": {
        "type": "string"
       },
       "orderID": {
        "type": "string"
       },
       "orderVersion": {
        "type": "integer"
       },
       "status": {
        "enum": [
         "open",
         "saved",
         "submitted",
         "cancelled"
        ]
       },
       "contractLines": {
        "type": "object",
        "additionalProperties": {
         "type": "integer"
        }
       },
       "document": {
        "$ref": "#/components/schemas/ConfigurationDocument"
       }
      }
     },
     "version": {
      "type": "integer"
     },
     "status": {
      "enum": [
       "Valid",
       "Valid with Warning",
       "Invalid"
      ]
     },
     "outcome": {
      "type": "object"
     },
     "report": {
      "type": "object"
     },
     "requestInformation": {
      "type": "object"
     },
     "contracts": {
      "type": "array",
      "description": "R-4.7: per contract, its customer, line, status, products and messages; R-6.1: what migrations take out of it and bring into it (migration id \u2192 instance)",
      "items": {
       "type": "object",
       "properties": {
        "contract": {
         "type": "string"
        },
        "customer": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "status": {
         "type": "string"
        },
        "products": {
         "type": "array",
         "items": {
          "type": "string"
         }
        },
        "messages": {
         "type": "array",
         "items": {
          "type": "object"
         }
        },
        "migratingOut": {
         "type": "object",
         "additionalProperties": {
          "type": "string"
         }
        },
        "migratingIn": {
         "type": "object",
         "additionalProperties": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   },
   "CustomerOrderInformation": {
    "type": "object",
    "required": [
     "customer"
    ],
    "properties": {
     "customer": {
      "type": "string"
     },
     "recurringBilling": {
      "$ref": "#/components/schemas/BillingInformation"
     },
     "nonrecurringBilling": {
      "$ref": "#/components/schemas/BillingInformation"
     },
     "shipping": {
      "type": "object",
      "properties": {
       "customer": {
        "type": "string"
       },
       "contact": {
        "type": "string"
       },
       "address": {
        "type": "string"
       },
       "shipmentDate": {
        "type": "string",
        "format": "date"
       }
      }
     },
     "site": {
      "type": "object",
      "properties": {
       "address": {
        "type": "string"
       },
       "contact": {
        "type": "string"
       }
      }
     }
    }
   },
   "SiteInformation": {
    "type": "object",
    "properties": {
     "address": {
      "type": "string"
     },
     "contact": {
      "type": "string"
     }
    }
   },
   "InstalledContract": {
    "type": "object",
    "required": [
     "id",
     "customer",
     "product",
     "status",
     "root"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "customer": {
      "type": "string"
     },
     "product": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "installedOn": {
      "type": "string",
      "format": "date"
     },
     "lastOrder": {
      "type": "string",
      "description": "R-5.2 COV: the last order submitted against the contract"
     },
     "root": {
      "$ref": "#/components/schemas/InstalledTreeProduct"
     },
     "links": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/InstalledLink"
      }
     }
    }
   },
   "TrialSetup": {
    "type": "object",
    "required": [
     "enabled",
     "defaults"
    ],
    "properties": {
     "enabled": {
      "type": "boolean"
     },
     "defaults": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "source",
        "days"
       ],
       "properties": {
        "source": {
         "type": "string"
        },
        "subSource": {
         "type": "string"
        },
        "days": {
         "type": "integer",
         "minimum": 0
        }
       }
      }
     }
    }
   },
   "ReasonCodes": {
    "type": "object",
    "required": [
     "codes"
    ],
    "properties": {
     "codes": {
      "type": "object",
      "description": "line action (add, change, disconnect, suspend, suspendChange, resume) \u2192 allowed reason codes",
      "additionalProperties": {
       "type": "array",
       "items": {
        "type": "string"
       }
      }
     }
    }
   },
   "Clock": {
    "type": "object",
    "required": [
     "now",
     "today",
     "mode"
    ],
    "properties": {
     "now": {
      "type": "string",
      "format": "date-time"
     },
     "today": {
      "type": "string",
      "format": "date"
     },
     "mode": {
      "type": "string",
      "enum": [
       "system",
       "test"
      ]
     }
    }
   },
   "Job": {
    "type": "object",
    "required": [
     "id",
     "kind",
     "subject",
     "dueAt",
     "status",
     "attempts"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "type": "string",
      "enum": [
       "releaseQueuedOrder"
      ]
     },
     "subject": {
      "type": "string"
     },
     "dueAt": {
      "type": "string",
      "format": "date-time"
     },
     "status": {
      "type": "string",
      "enum": [
       "pending",
       "running",
       "done",
       "failed"
      ]
     },
     "attempts": {
      "type": "integer"
     },
     "claimedBy": {
      "type": "string"
     },
     "claimedUntil": {
      "type": "string",
      "format": "date-time"
     },
     "outcome": {
      "type": "string"
     },
     "finishedAt": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "OrderPricing": {
    "type": "object",
    "description": "R-3.3: prices per line (catalog prices of new components plus adjustments), totals of new and service lines and of all",
    "properties": {
     "lines": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "line": {
         "type": "integer"
        },
        "items": {
         "type": "array",
         "items": {
          "type": "object"
         }
        },
        "adjustments": {
         "type": "array",
         "items": {
          "$ref": "#/components/schemas/PriceAdjustment"
         }
        },
        "totals": {
         "type": "array",
         "items": {
          "type": "object",
          "properties": {
           "currency": {
            "type": "string"
           },
           "oneTime": {
            "type": "number"
           },
           "recurring": {
            "type": "number"
           }
          }
         }
        }
       }
      }
     },
     "headerAdjustments": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/PriceAdjustment"
      }
     },
     "newLines": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "currency": {
         "type": "string"
        },
        "oneTime": {
         "type": "number"
        },
        "recurring": {
         "type": "number"
        }
       }
      }
     },
     "serviceLines": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "currency": {
         "type": "string"
        },
        "oneTime": {
         "type": "number"
        },
        "recurring": {
         "type": "number"
        }
       }
      }
     },
     "total": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "currency": {
         "type": "string"
        },
        "oneTime": {
         "type": "number"
        },
        "recurring": {
         "type": "number"
        }
       }
      }
     }
    }
   },
   "ProvisioningMessage": {
    "type": "object",
    "description": "R-7.5: one message to one provisioning system for one order",
    "properties": {
     "id": {
      "type": "string",
      "description": "<order>/<system>"
     },
     "system": {
      "type": "string"
     },
     "items": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "installedContract": {
         "type": "string"
        },
        "installedProduct": {
         "type": "string"
        },
        "product": {
         "type": "string"
        },
        "action": {
         "type": "string",
         "enum": [
          "activate",
          "disconnect",
          "suspend",
          "resume"
         ]
        },
        "device": {
         "type": "boolean"
        },
        "attributes": {
         "type": "object",
         "additionalProperties": {
          "type": "string"
         }
        },
        "migratedFrom": {
         "type": "string",
         "description": "R-6, R-7.4: activated as the installed product it replaces in another contract (a migration)"
        }
       }
      }
     },
     "status": {
      "type": "string",
      "enum": [
       "ready",
       "sent",
       "completed",
       "failed"
      ]
     },
     "attempts": {
      "type": "integer"
     },
     "givesUpAfter": {
      "type": "integer"
     },
     "waiting": {
      "type": "boolean"
     },
     "sentAt": {
      "type": "string",
      "format": "date-time"
     },
     "answeredAt": {
      "type": "string",
      "format": "date-time"
     },
     "lastError": {
      "type": "string"
     },
     "answers": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "installedProduct"
       ],
       "properties": {
        "installedProduct": {
         "type": "string"
        },
        "distributor": {
         "type": "string"
        }
       }
      }
     },
     "resumedBy": {
      "type": "string"
     }
    }
   },
   "Jeopardy": {
    "type": "object",
    "properties": {
     "since": {
      "type": "string",
      "format": "date-time"
     },
     "messages": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "reason": {
      "type": "string"
     }
    }
   },
   "OrderFulfillment": {
    "type": "object",
    "description": "R-7.3 \u2013 R-7.5: waits on other orders (R-7.4), who waits for this one, jeopardy, warnings; the provisioning messages are stored apart (provisioningMessages on a single order read)",
    "properties": {
     "waits": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "step": {
         "type": "string",
         "enum": [
          "start",
          "send",
          "complete"
         ]
        },
        "order": {
         "type": "string"
        },
        "milestone": {
         "type": "string",
         "enum": [
          "pending",
          "sent",
          "answered"
         ]
        }
       }
      }
     },
     "waitedOnBy": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "jeopardy": {
      "$ref": "#/components/schemas/Jeopardy"
     },
     "startedAt": {
      "type": "string",
      "format": "date-time"
     },
     "warnings": {
      "type": "array",
      "description": "What fulfillment did that an agent should look at (an installed contract left unbilled)",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "InstalledLink": {
    "type": "object",
    "properties": {
     "from": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "installedOn": {
      "type": "string",
      "format": "date"
     },
     "disconnectedOn": {
      "type": "string",
      "format": "date"
     }
    }
   },
   "InstalledProduct": {
    "type": "object",
    "description": "R-7.6: one installed product with its place in the tree, links and status history",
    "properties": {
     "id": {
      "type": "string"
     },
     "installedContract": {
      "type": "string"
     },
     "customer": {
      "type": "string"
     },
     "product": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "installedStatus": {
      "type": "string"
     },
     "installedOn": {
      "type": "string",
      "format": "date"
     },
     "disconnectedOn": {
      "type": "string",
      "format": "date"
     },
     "owner": {
      "type": "string"
     },
     "billingAccount": {
      "type": "string"
     },
     "distributor": {
      "type": "string"
     },
     "attributes": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "childOf": {
      "type": "string"
     },
     "children": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "id": {
         "type": "string"
        },
        "product": {
         "type": "string"
        },
        "relation": {
         "type": "string",
         "enum": [
          "childOf",
          "sells"
         ]
        },
        "installedStatus": {
         "type": "string"
        }
       }
      }
     },
     "links": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/InstalledLink"
      }
     },
     "history": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "at": {
         "type": "string",
         "format": "date-time"
        },
        "actor": {
         "type": "string"
        },
        "reason": {
         "type": "string"
        },
        "version": {
         "type": "integer"
        },
        "installedStatus": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "Migration": {
    "type": "object",
    "description": "R-6: a migration requested in a session, with what it did (to reverse it exactly)",
    "properties": {
     "id": {
      "type": "string"
     },
     "action": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "kind": {
      "enum": [
       "transformation",
       "reparenting"
      ]
     },
     "component": {
      "type": "string"
     },
     "product": {
      "type": "string"
     },
     "sourceContract": {
      "type": "string"
     },
     "sourceParent": {
      "type": "string"
     },
     "sourceCustomer": {
      "type": "string"
     },
     "target": {
      "type": "string"
     },
     "targetProduct": {
      "type": "string"
     },
     "targetContract": {
      "type": "string"
     },
     "targetParent": {
      "type": "string"
     },
     "targetCustomer": {
      "type": "string"
     },
     "moved": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "instance": {
         "type": "string"
        },
        "from": {
         "type": "string"
        },
        "position": {
         "type": "integer"
        }
       }
      }
     },
     "removed": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "created": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "createdContract": {
      "type": "boolean"
     },
     "emptied": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "script": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "brokenCommitments": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "PriceAdjustment": {
    "properties": {
     "amount": {
      "type": "number"
     },
     "currency": {
      "type": "string"
     },
     "id": {
      "type": "string"
     },
     "line": {
      "type": "integer"
     },
     "reason": {
      "type": "string"
     },
     "shareOf": {
      "type": "string"
     },
     "type": {
      "enum": [
       "oneTime",
       "recurring"
      ],
      "type": "string"
     }
    },
    "type": "object"
   },
   "BillingInformation": {
    "properties": {
     "address": {
      "type": "string"
     },
     "contact": {
      "type": "string"
     },
     "creditCard": {
      "properties": {
       "expires": {
        "description": "YYYY-MM",
        "type": "string"
       },
       "last4": {
        "type": "string"
       }
      },
      "required": [
       "last4",
       "expires"
      ],
      "type": "object"
     },
     "customer": {
      "type": "string"
     },
     "paymentMethod": {
      "enum": [
       "invoice",
       "creditCard",
       "directDebit"
      ],
      "type": "string"
     }
    },
    "type": "object"
   },
   "VerificationMessage": {
    "properties": {
     "contract": {
      "type": "string"
     },
     "customer": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     },
     "instance": {
      "type": "string"
     },
     "message": {
      "type": "string"
     },
     "product": {
      "type": "string"
     },
     "rule": {
      "type": "string"
     },
     "severity": {
      "enum": [
       "error",
       "warning"
      ]
     }
    },
    "type": "object"
   },
   "JSONPatchOperation": {
    "type": "object",
    "required": [
     "op",
     "path"
    ],
    "properties": {
     "op": {
      "type": "string",
      "enum": [
       "add",
       "remove",
       "replace"
      ]
     },
     "path": {
      "type": "string",
      "description": "JSON Pointer (RFC 6901)"
     },
     "value": {
      "description": "The new value (add, replace)"
     }
    }
   },
   "HistoryPage": {
    "type": "object",
    "required": [
     "items"
    ],
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/HistoryEntry"
      }
     },
     "nextCursor": {
      "type": [
       "string",
       "null"
      ],
      "description": "The last version of this page: pass it as cursor for the next"
     }
    }
   },
   "InstalledTreeProduct": {
    "type": "object",
    "required": [
     "id",
     "product",
     "installedStatus"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "product": {
      "type": "string"
     },
     "installedStatus": {
      "enum": [
       "active",
       "pendingActivation",
       "suspended",
       "pendingSuspension",
       "pendingResumption",
       "pendingDisconnection",
       "disconnected",
       "inactive"
      ]
     },
     "attributes": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "components": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/InstalledTreeProduct"
      }
     },
     "installedOn": {
      "type": "string",
      "format": "date"
     },
     "disconnectedOn": {
      "type": "string",
      "format": "date"
     },
     "owner": {
      "type": "string"
     },
     "billingAccount": {
      "type": "string"
     },
     "distributor": {
      "type": "string"
     },
     "migratedFrom": {
      "type": "string",
      "description": "The installed product this one was migrated from (R-6, R-7.4)"
     },
     "migratedTo": {
      "type": "string",
      "description": "The installed contract this one migrated to; it is disconnected here"
     }
    },
    "description": "One installed product of an installed contract's tree (R-7.3, R-7.6): always with its status."
   }
  },
  "parameters": {
   "IdempotencyKey": {
    "name": "Idempotency-Key",
    "in": "header",
    "required": false,
    "schema": {
     "type": "string",
     "maxLength": 255
    },
    "description": "Retry-safe POST: the same key and request within the same user gets the first answer again (Idempotent-Replayed: true); another request with the key is 422 idempotency-key-reused; 409 idempotency-key-in-progress while the first still runs."
   }
  }
 }
}
"""#
}
