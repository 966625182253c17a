/** Whether `p` settles before `deadline` (epoch ms); its rejection is thrown. */
export async function settlesBy(p: Promise<unknown>, deadline: number): Promise<boolean> {
  const left = deadline - Date.now()
  if (left <= 0) return false
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), left)
  })
  try {
    return await Promise.race([p.then(() => true), late])
  } finally {
    clearTimeout(timer)
  }
}
