export function Logo({ small = false }: { small?: boolean }) {
  return (
    <span className={`logo${small ? ' small' : ''}`}>
      <svg viewBox="0 0 32 32" width={small ? 22 : 28} height={small ? 22 : 28} aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M9 11h14v8h-7l-4 3v-3H9z" fill="white" />
      </svg>
      <span>Parley</span>
    </span>
  )
}
