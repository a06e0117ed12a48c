/**
 * Safe unpacking of sdists and wheels, refusing any archive whose entries could reach outside the
 * destination and leaving nothing behind when it does.
 */
package dev.orchestrate.env.archive;
