// The HTTP methods the transport sends, in a module of their own so the transport and its middleware
// can both name them without importing each other.
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
