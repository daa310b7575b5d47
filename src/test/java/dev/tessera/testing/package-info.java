/** Test support: the database resource, tenant fixtures and token minting. */
package dev.tessera.testing;
